using System.Text.Json.Nodes;
using RepSec.Cli;
using RepSec.Cli.Transparency;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Transparency;
using RepSec.Testing.Transparency;

namespace RepSec.IntegrationTests.Cli;

/// <summary>
/// repsec audit --verify and repsec log against a stand-in server whose log the test grows, forks and shrinks:
/// what a user sees, what the exit code says, and what the state file keeps.
/// </summary>
public sealed class LogCliTests : IAsyncLifetime
{
    private readonly SyntheticLog _log = SyntheticLog.Standard();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("repsec-log-");
    private FakeLogServer _server = null!;

    private string StatePath => Path.Combine(_directory.FullName, "state.json");

    public Task InitializeAsync()
    {
        _server = new FakeLogServer(_log.Prefix(7));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["--server", $"127.0.0.1:{_server.Port}", "--insecure", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private Task<(int Exit, string Out, string Err)> WatchAsync(params string[] extra) => RunAsync(["log", "watch", "--state", StatePath, .. extra]);

    private Task<(int Exit, string Out, string Err)> AuditAsync(params string[] extra) =>
        RunAsync(["--token", "unused", "audit", "example.com", "--verify", "--state", StatePath, .. extra]);

    [Fact]
    public async Task Watch_pins_the_key_on_first_use_then_follows_the_log_as_it_grows()
    {
        var first = await WatchAsync();
        _server.Log = _log;
        var second = await WatchAsync();
        var third = await WatchAsync();

        Assert.Equal(0, first.Exit);
        Assert.Contains("WARNING", first.Err, StringComparison.Ordinal);
        Assert.Contains(_log.VerifierKey, first.Err, StringComparison.Ordinal);
        Assert.StartsWith($"saved checkpoint {SyntheticLog.Origin} size 7 root ", first.Out, StringComparison.Ordinal);
        Assert.Equal((0, ""), (second.Exit, second.Err));
        Assert.StartsWith("consistent: size 7 -> 10", second.Out, StringComparison.Ordinal);
        Assert.StartsWith("consistent: size 10 -> 10", third.Out, StringComparison.Ordinal);
        var state = LogStateFile.Load(StatePath)!;
        Assert.Equal((SyntheticLog.Origin, _log.VerifierKey), (state.Origin, state.LogKey));
        Assert.Equal(10, Checkpoint.OpenSigned(state.Checkpoint!, _log.VerifierKey)!.Size);
    }

    [Theory]
    [InlineData(7, 2, "does not extend the tree of size 7")]
    [InlineData(10, 2, "size 10 has two different roots")]
    [InlineData(10, 9, "size 10 has two different roots")]
    public async Task A_rewritten_past_is_a_fork_and_the_saved_checkpoint_is_kept(int savedSize, int rewritten, string detail)
    {
        _server.Log = _log.Prefix(savedSize);
        await WatchAsync();
        var saved = await File.ReadAllTextAsync(StatePath);
        _server.Log = _log.Rewrite(rewritten, e => e with { Actor = "mallory" });

        var (exit, output, error) = await WatchAsync();

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Equal("", output);
        Assert.StartsWith("repsec: LOG FORK DETECTED: ", error, StringComparison.Ordinal);
        Assert.Contains(detail, error, StringComparison.Ordinal);
        Assert.Contains($"saved: size {savedSize} root ", error, StringComparison.Ordinal);
        Assert.Equal(saved, await File.ReadAllTextAsync(StatePath));
    }

    [Fact]
    public async Task A_log_that_shrank_fails()
    {
        _server.Log = _log;
        await WatchAsync();
        _server.Log = _log.Prefix(7);

        var (exit, _, error) = await WatchAsync();

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("LOG FORK DETECTED: the log shrank from size 10", error, StringComparison.Ordinal);
        Assert.Equal(10, Checkpoint.OpenSigned(LogStateFile.Load(StatePath)!.Checkpoint!, _log.VerifierKey)!.Size);
    }

    [Fact]
    public async Task A_server_that_changes_its_key_fails_against_the_pinned_one()
    {
        await WatchAsync();
        var impostor = new SyntheticLog(_log.Entries);
        _server.Log = impostor;

        var (exit, _, error) = await WatchAsync();

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains($"advertises log key {impostor.VerifierKey}, but the pinned key is {_log.VerifierKey}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_given_key_is_trusted_without_a_warning_and_must_match_the_server()
    {
        var other = new SyntheticLog(_log.Entries).VerifierKey;

        var given = await WatchAsync("--log-key", _log.VerifierKey);
        var mismatch = await RunAsync("log", "watch", "--state", Path.Combine(_directory.FullName, "other.json"), "--log-key", other);
        var conflict = await WatchAsync("--log-key", other);
        var malformed = await WatchAsync("--log-key", "not-a-key");

        Assert.Equal((0, ""), (given.Exit, given.Err));
        Assert.Equal(ExitCodes.VerificationFailed, mismatch.Exit);
        Assert.Equal(ExitCodes.Usage, conflict.Exit);
        Assert.Contains("pins another log key", conflict.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, malformed.Exit);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_is_refused()
    {
        await WatchAsync();
        var forger = new SyntheticLog(_log.Entries);
        _server.Log = forger;
        _server.AdvertisedKey = _log.VerifierKey; // says the right key, signs with another

        var (exit, _, error) = await WatchAsync();

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("VERIFICATION FAILED: the log's checkpoint: the checkpoint carries no valid signature", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_checkpoint_prints_the_verified_note()
    {
        var (exit, output, _) = await RunAsync("log", "checkpoint", "--state", StatePath);

        Assert.Equal(0, exit);
        Assert.Equal(_log.Prefix(7).Checkpoint(7), output);
    }

    [Fact]
    public async Task Audit_verify_proves_each_entry_and_the_log_extends_the_saved_checkpoint()
    {
        await WatchAsync();
        _server.Log = _log;

        var (exit, output, error) = await AuditAsync();

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("register  alice  included at index 1", output, StringComparison.Ordinal);
        Assert.Contains("#5  ", output, StringComparison.Ordinal);
        Assert.Contains($"verified 3 entries against checkpoint {SyntheticLog.Origin} size 10 root {SyntheticLog.B64(_log.Root(10))}", output, StringComparison.Ordinal);
        Assert.Contains("consistent with the saved checkpoint: size 7 -> 10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_names_the_entry_and_check_that_failed()
    {
        _server.TamperAudit = answer => ((JsonObject)answer["entries"]![1]!)["time"] = "2026-11-22T10:00:04.999Z";

        var (exit, output, error) = await AuditAsync();

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Equal("", output);
        Assert.Contains("repsec: VERIFICATION FAILED for the history of example.com:", error, StringComparison.Ordinal);
        Assert.Contains("repsec:   Inclusion: entry #4: ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(StatePath)); // nothing verified, nothing pinned
    }
}
