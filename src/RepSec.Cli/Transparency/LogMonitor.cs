using System.CommandLine;
using System.Globalization;
using RepSec.Client;
using RepSec.Client.Transparency;
using RepSec.Protocol.Transparency;

namespace RepSec.Cli.Transparency;

/// <summary>
/// One run's view of a server's transparency log: decides which key to trust (given, pinned, or first use), and
/// accepts a new checkpoint only after proving that it extends the one remembered, then remembers it.
/// </summary>
internal sealed class LogMonitor
{
    private readonly CliContext _context;
    private readonly string? _givenKey;
    private readonly string _statePath;
    private LogState? _state;
    private string? _key;
    private bool _firstUse;

    private LogMonitor(CliContext context, string? givenKey, string statePath)
    {
        _context = context;
        _givenKey = givenKey;
        _statePath = statePath;
    }

    public static LogMonitor For(CliContext context, ParseResult parseResult, LogOptions options)
    {
        var (host, port) = context.Server;
        var state = parseResult.GetValue(options.State) ?? Environment("REPSEC_LOG_STATE") ?? LogStateFile.DefaultPath(host, port);
        return new LogMonitor(context, parseResult.GetValue(options.LogKey) ?? Environment("REPSEC_LOG_KEY"), state);
    }

    /// <summary>The verifier key to check against; fails when HELLO advertises another.</summary>
    public async Task<string> PinAsync(RepSecClient client, CancellationToken cancellationToken)
    {
        _state = LoadState();
        var hello = await client.HelloAsync("repsec", cancellationToken);
        var log = hello.Extensions.FirstOrDefault(e => e.Name == ExtensionInfo.Transparency)
            ?? throw CommandFailedException.Verification("VERIFICATION FAILED: the server keeps no transparency log (HELLO lists no 'transparency' extension)");
        if (_givenKey is { } given)
        {
            if (!LogVerifier.IsVerifierKey(given))
            {
                throw new CommandFailedException(ExitCodes.Usage, $"REPSEC_LOG_KEY '{given}' is not a verifier key (NAME+hex(keyhash)+base64(0x01 || key))");
            }

            if (_state is not null && _state.LogKey != given)
            {
                throw new CommandFailedException(ExitCodes.Usage,
                    $"{_statePath} pins another log key, {_state.LogKey}\nremove that file or choose another with --state to start over with {given}");
            }

            _key = given;
        }
        else if (_state is not null)
        {
            _key = _state.LogKey;
        }
        else
        {
            _key = log.LogKey is { } advertised && LogVerifier.IsVerifierKey(advertised)
                ? advertised
                : throw CommandFailedException.Verification("VERIFICATION FAILED: no log key is pinned and the server advertises no valid one; use --log-key");
            _firstUse = true;
            await _context.Error.WriteLineAsync(
                $"repsec: WARNING: no log key pinned; trusting the key the server advertises, on first use:\nrepsec:   {_key}\n" +
                $"repsec: check it against one published by the operator; it is pinned in {_statePath} once verified");
        }

        if (log.LogKey is { } announced && announced != _key)
        {
            throw CommandFailedException.Verification(
                $"VERIFICATION FAILED: the server advertises log key {announced}, but the pinned key is {_key}\n" +
                "the log's key changed, or this is not the log you pinned");
        }

        return _key;
    }

    /// <summary>
    /// Accepts <paramref name="note"/> (already verified as <paramref name="latest"/>): checks the remembered
    /// checkpoint against it, fetching a consistency proof if the log grew, then remembers it.
    /// </summary>
    /// <returns>The checkpoint remembered before, or null when there was none.</returns>
    public async Task<Checkpoint?> AdvanceAsync(RepSecClient client, string note, Checkpoint latest, CancellationToken cancellationToken)
    {
        var key = _key ?? throw new InvalidOperationException("PinAsync first");
        Checkpoint? previous = null;
        if (_state?.Checkpoint is { } saved)
        {
            var opened = LogVerifier.OpenCheckpoint(saved, key);
            previous = opened.Verified
                ? opened.Checkpoint
                : throw CommandFailedException.Verification(
                    $"VERIFICATION FAILED: the checkpoint saved in {_statePath} does not verify: {string.Join("; ", opened.Failures)}");
            var consistency = previous.Size < latest.Size
                ? LogVerifier.VerifyConsistency(saved, note, await client.ConsistencyProofAsync(previous.Size, latest.Size, cancellationToken), key)
                : LogVerifier.VerifyConsistency(saved, note, [], key);
            if (!consistency.Verified)
            {
                var headline = consistency.Forked ? "LOG FORK DETECTED" : "VERIFICATION FAILED";
                throw CommandFailedException.Verification(
                    $"{headline}: {string.Join("; ", consistency.Failures)}\n" +
                    $"saved: {Describe(previous)}; server: {Describe(latest)}\n" +
                    $"the saved checkpoint in {_statePath} is kept");
            }
        }

        Save(new LogState(CliContext.Display(_context.Server.Host, _context.Server.Port), latest.Origin, key, note));
        if (_firstUse)
        {
            await _context.Error.WriteLineAsync($"repsec: pinned log key {key} in {_statePath}");
            _firstUse = false;
        }

        return previous;
    }

    private LogState? LoadState()
    {
        try
        {
            return LogStateFile.Load(_statePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"cannot read the log state {_statePath}: {exception.Message}");
        }
    }

    private void Save(LogState state)
    {
        try
        {
            LogStateFile.Save(_statePath, state);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"cannot save the log state {_statePath}: {exception.Message}");
        }
    }

    public static string Describe(Checkpoint checkpoint) =>
        string.Create(CultureInfo.InvariantCulture, $"size {checkpoint.Size} root {Convert.ToBase64String(checkpoint.Root)}");

    private static string? Environment(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
