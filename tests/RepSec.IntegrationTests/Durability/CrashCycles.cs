using System.Collections.Concurrent;
using System.Globalization;
using RepSec.Client;
using RepSec.Client.Transparency;
using RepSec.Core.Transparency;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Durability;

/// <summary>
/// The crash harness: REGISTER, REMOVE, REPORT and WITHDRAW load from many connections against a real repsecd
/// process, killed with SIGKILL at a random moment of every cycle and started again on the same store. After each
/// restart every write acknowledged so far must be there (and every acknowledged removal, withdrawal and
/// supersession in effect), the log must extend the last signed checkpoint seen before the kill, and writes that were
/// in flight at the kill are settled by looking: whole or absent. At the end the offline log audit recomputes every
/// leaf, node, record and report, and the number of log entries must be exactly what the settled writes account for,
/// so nothing is half done. The reputation half is in <c>CrashCycles.Reputation.cs</c>.
/// </summary>
public sealed partial class CrashCycles(CrashCycles.Settings settings)
{
    /// <summary>What one run is against.</summary>
    /// <param name="Cycles">How many kill-and-restart cycles.</param>
    /// <param name="Writers">Writer connections during each cycle.</param>
    /// <param name="Seed">Seeds the kill moments and the choice of each write.</param>
    /// <param name="DataDirectory">repsecd's data directory (TLS, keys, and the SQLite database when that is the store).</param>
    /// <param name="Environment">The environment every repsecd process and operator command runs with.</param>
    /// <param name="Audit">The offline log audit of the store, run after the last cycle with no repsecd running.</param>
    /// <param name="AfterKill">
    /// Runs on the store's files after a kill, before the restart (the SQLite test tears the WAL's last write there);
    /// true when it changed something.
    /// </param>
    public sealed record Settings(
        int Cycles, int Writers, int Seed, string DataDirectory, IReadOnlyDictionary<string, string> Environment, Func<LogAuditReport> Audit,
        Func<Random, bool>? AfterKill = null);

    /// <summary>The figures of a run; <see cref="Problems"/> is empty when every check held.</summary>
    public sealed record Report(
        int Cycles, long Registered, long Removed, long Reported, long Superseding, long Withdrawn, long InFlightAtKill, long InFlightLanded,
        long LogEntries, long Records, long Reports, int Altered, IReadOnlyList<string> Problems)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Cycles} kill cycles ({Altered} with the store's files altered after the kill): {Registered} registrations, {Removed} removals, {Reported} reports ({Superseding} superseding an earlier one) " +
            $"and {Withdrawn} withdrawals acknowledged, {InFlightAtKill} writes in flight at a kill ({InFlightLanded} landed whole, the rest absent), " +
            $"{LogEntries} log entries, {Records} records, {Reports} reports, {Problems.Count} problems");
    }

    private enum State
    {
        Registering,
        Present,
        Removing,
        Removed,
        NeverRegistered,
    }

    private const int MaxProblems = 50;

    private readonly ConcurrentDictionary<string, State> _ledger = new();
    private readonly List<string> _problems = [];
    private readonly Random _random = new(settings.Seed);
    private long _registered;
    private long _removed;
    private long _inFlight;
    private long _landed;
    private int _altered;

    private string CaPath => Path.Combine(settings.DataDirectory, "tls", "dev-ca.crt");

    public async Task<Report> RunAsync(CancellationToken cancellationToken = default)
    {
        // Each writer is its own principal, so that its reports are its own voice (one per entity and assertion).
        _tokens = new string[settings.Writers];
        for (var w = 0; w < settings.Writers; w++)
        {
            _tokens[w] = await IssueTokenAsync(Principal(w), "registrant");
        }

        _auditor = await IssueTokenAsync("crash-auditor", "auditor");
        string? verifierKey = null;
        string? lastCheckpoint = null;
        IReadOnlyCollection<string> touched = [];
        IReadOnlyCollection<ReportEntry> ended = [];
        var owned = Enumerable.Range(0, settings.Writers).Select(_ => new List<string>()).ToArray();

        for (var cycle = 0; cycle < settings.Cycles && _problems.Count < MaxProblems; cycle++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = await NodeProcess.StartAsync(settings.DataDirectory, settings.Environment);
            verifierKey ??= (await File.ReadAllTextAsync(Path.Combine(settings.DataDirectory, "log-key.pub"), cancellationToken)).Trim();
            var touching = new ConcurrentBag<string>();
            var ending = new ConcurrentBag<ReportEntry>();
            try
            {
                // What the restarted server holds must match what the previous cycle settled; its in-flight
                // writes are settled here by looking.
                await CheckAsync(node, lastCheckpoint, verifierKey, cycle, touched, ended, cancellationToken);

                using var stop = new CancellationTokenSource();
                var seenCheckpoint = new StrongBox(lastCheckpoint);
                var seeds = Enumerable.Range(0, settings.Writers).Select(_ => _random.Next()).ToArray();
                var writers = Enumerable.Range(0, settings.Writers)
                    .Select(w => Task.Run(() => WriteAsync(node, _tokens[w], cycle, w, owned[w], new Random(seeds[w]), touching, ending, stop.Token), CancellationToken.None))
                    .Append(Task.Run(() => WatchCheckpointsAsync(node, seenCheckpoint, stop.Token), CancellationToken.None))
                    .ToList();

                // A random moment: from before the first write is acknowledged to well into the load.
                await Task.Delay(_random.Next(0, 1500), cancellationToken);
                await node.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
                if (settings.AfterKill?.Invoke(_random) == true)
                {
                    _altered++;
                }

                lastCheckpoint = seenCheckpoint.Value;
                touched = touching;
                ended = ending;
            }
            finally
            {
                await node.DisposeAsync();
            }
        }

        // A last start settles the final cycle's in-flight writes and checks every entity ever written.
        await using (var node = await NodeProcess.StartAsync(settings.DataDirectory, settings.Environment))
        {
            await CheckAsync(node, lastCheckpoint, verifierKey!, settings.Cycles, [.. _ledger.Keys], EndedReports(), cancellationToken);
        }

        var audit = settings.Audit();
        foreach (var problem in audit.Problems)
        {
            Problem($"log audit: {problem}");
        }

        var present = _ledger.Values.Count(s => s == State.Present);
        var removed = _ledger.Values.Count(s => s == State.Removed);
        if (audit.Records != present)
        {
            Problem($"{audit.Records} records are stored, but {present} entities are registered by the acknowledged and settled writes");
        }

        // Each present entity has its registration, each removed one its registration and removal, each report and
        // withdrawal one entry, plus the operator's principal_add and token_issue for every writer and the auditor:
        // any other entry would be half of an unacknowledged write.
        var expectedEntries = (2L * (settings.Writers + 1)) + present + (2L * removed) + CheckReportAudit(audit);
        if (audit.Entries != expectedEntries)
        {
            Problem($"the log has {audit.Entries} entries, but the settled writes account for {expectedEntries}");
        }

        lock (_problems)
        {
            return new Report(settings.Cycles, _registered, _removed, _reported, _superseding, _withdrawn, _inFlight, _landed,
                audit.Entries, audit.Records, audit.Reports, _altered, [.. _problems]);
        }
    }

    private async Task<string> IssueTokenAsync(string principal, string role)
    {
        var (exit, output, error) = await NodeProcess.RunAsync(settings.Environment,
            "token", "issue", "--data", settings.DataDirectory, "--principal", principal, "--role", role);
        return exit == 0 ? output.Trim() : throw new InvalidOperationException($"token issue failed: {error}");
    }

    private async Task WriteAsync(
        NodeProcess node, string token, int cycle, int writer, List<string> owned, Random random, ConcurrentBag<string> touched,
        ConcurrentBag<ReportEntry> ending, CancellationToken stop)
    {
        // Entities whose removal was in flight at the last kill and landed are no longer this writer's to remove.
        owned.RemoveAll(entity => _ledger[entity] != State.Present);
        try
        {
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port,
                new RepSecClientOptions { CaCertificatePath = CaPath, Token = token }, stop);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (random.Next(2) == 0)
                {
                    await ReputationWriteAsync(client, cycle, writer, i, random, ending, stop);
                }
                else if (owned.Count > 0 && random.Next(3) == 0)
                {
                    var slot = random.Next(owned.Count);
                    var entity = owned[slot];
                    _ledger[entity] = State.Removing;
                    touched.Add(entity);
                    await client.RemoveAsync(entity, "domain", stop);
                    _ledger[entity] = State.Removed;
                    Interlocked.Increment(ref _removed);
                    owned[slot] = owned[^1];
                    owned.RemoveAt(owned.Count - 1);
                }
                else
                {
                    var entity = string.Create(CultureInfo.InvariantCulture, $"c{cycle}-w{writer}-{i}.crash.example");
                    _ledger[entity] = State.Registering;
                    touched.Add(entity);
                    await client.RegisterAsync(entity, "domain", cancellationToken: stop);
                    _ledger[entity] = State.Present;
                    Interlocked.Increment(ref _registered);
                    owned.Add(entity);
                }
            }
        }
        catch (Exception exception) when (exception is RepSecConnectionException or IOException or ObjectDisposedException
                                              or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The server died under this writer: what it acknowledged must be there, what was in flight is settled later.
        }
        catch (RepSecException exception)
        {
            Problem($"cycle {cycle}, writer {writer}: the server refused a write: {exception.Message}");
        }
    }

    /// <summary>Keeps the newest signed checkpoint the live server hands out, to check the log after the kill extends it.</summary>
    private async Task WatchCheckpointsAsync(NodeProcess node, StrongBox latest, CancellationToken stop)
    {
        try
        {
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port, new RepSecClientOptions { CaCertificatePath = CaPath }, stop);
            while (!stop.IsCancellationRequested)
            {
                latest.Value = (await client.CheckpointAsync(stop)).Checkpoint;
                await Task.Delay(20, stop);
            }
        }
        catch (Exception exception) when (exception is RepSecConnectionException or IOException or ObjectDisposedException
                                              or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
        }
    }

    private async Task CheckAsync(
        NodeProcess node, string? lastCheckpoint, string verifierKey, int cycle, IReadOnlyCollection<string> entities,
        IReadOnlyCollection<ReportEntry> ended, CancellationToken cancellationToken)
    {
        var options = new RepSecClientOptions { CaCertificatePath = CaPath };
        if (lastCheckpoint is not null)
        {
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port, options, cancellationToken);
            var now = (await client.CheckpointAsync(cancellationToken)).Checkpoint;
            var before = LogVerifier.OpenCheckpoint(lastCheckpoint, verifierKey).Checkpoint;
            var after = LogVerifier.OpenCheckpoint(now, verifierKey).Checkpoint;
            var verification = after is not null && before is not null && after.Size > before.Size
                ? LogVerifier.VerifyConsistency(lastCheckpoint, now, await client.ConsistencyProofAsync(before.Size, after.Size, cancellationToken), verifierKey)
                : LogVerifier.VerifyConsistency(lastCheckpoint, now, [], verifierKey);
            foreach (var failure in verification.Failures)
            {
                Problem($"after kill {cycle}: the log does not extend the last checkpoint seen before it: {failure.Message}");
            }
        }

        // Entities are checked after the cycle that touched them, and all of them again at the end.
        var partitions = entities.Chunk(Math.Max(1, (entities.Count + 3) / 4));
        await Task.WhenAll(partitions.Select(async part =>
        {
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port, options, cancellationToken);
            foreach (var entity in part)
            {
                Settle(entity, await IsRegisteredAsync(client, entity, cancellationToken), cycle);
            }
        }).Append(CheckReputationAsync(node, cycle, ended, cancellationToken)));
    }

    private static async Task<bool> IsRegisteredAsync(RepSecClient client, string entity, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.VerifyAsync(entity, "domain", cancellationToken)).Verified;
        }
        catch (RepSecException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    private void Settle(string entity, bool verified, int cycle)
    {
        switch (_ledger[entity])
        {
            case State.Registering:
                Interlocked.Increment(ref _inFlight);
                _ledger[entity] = verified ? State.Present : State.NeverRegistered;
                if (verified)
                {
                    Interlocked.Increment(ref _landed);
                    // The writer that owned it is gone; it stays registered, and the final counts include it.
                }

                break;
            case State.Removing:
                Interlocked.Increment(ref _inFlight);
                _ledger[entity] = verified ? State.Present : State.Removed;
                if (!verified)
                {
                    Interlocked.Increment(ref _landed);
                }

                break;
            case State.Present when !verified:
                Problem($"after kill {cycle}: {entity} was acknowledged as registered but is gone");
                break;
            case State.Removed when verified:
                Problem($"after kill {cycle}: {entity} was acknowledged as removed but is still registered");
                break;
            case State.NeverRegistered when verified:
                Problem($"after kill {cycle}: {entity}, absent after an earlier kill, has appeared");
                break;
        }
    }

    private void Problem(string message)
    {
        lock (_problems)
        {
            if (_problems.Count < MaxProblems)
            {
                _problems.Add(message);
            }
        }
    }

    private sealed class StrongBox(string? value)
    {
        public string? Value { get; set; } = value;
    }
}
