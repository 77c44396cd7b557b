using System.Buffers.Binary;
using Npgsql;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Storage.Postgres;
using RepSec.Storage.Sqlite;
using RepSec.Testing;
using Xunit.Abstractions;

namespace RepSec.IntegrationTests.Durability;

/// <summary>
/// The crash harness (<see cref="CrashCycles"/>) on each store: the real repsecd under REGISTER, REMOVE, REPORT and WITHDRAW load,
/// killed with SIGKILL at random moments and restarted. CI runs the short form; <c>scripts/crash-test.sh</c> the
/// long one, through <c>REPSEC_CRASH_CYCLES</c> and <c>REPSEC_CRASH_SEED</c>.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultCycles = 20;
    private const int Writers = 8;

    private readonly string _data = Directory.CreateTempSubdirectory("repsec-kill-").FullName;

    // The load is the point: rate limits are raised past anything eight writers can reach, and a reporter may report
    // the same entity and assertion again at once, so that reports supersede each other under the kills.
    private static readonly Dictionary<string, string> Unlimited = new()
    {
        ["RepSec__RateLimits__PerAddressPerSecond"] = "1000000",
        ["RepSec__RateLimits__PerAddressBurst"] = "1000000",
        ["RepSec__RateLimits__PerPrincipalPerSecond"] = "1000000",
        ["RepSec__RateLimits__PerPrincipalBurst"] = "1000000",
        ["RepSec__Reputation__ReportIntervalSeconds"] = "0",
    };

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Acknowledged_writes_survive_repeated_kill_9_on_sqlite()
    {
        var report = await RunAsync(Unlimited, () => SqliteLogAudit.Run(new SqliteDatabase(_data)), TearWal);

        AssertSurvived(report);
        Assert.True(report.Altered >= 1, $"no cycle tore the WAL's last write: {report}");
    }

    [SkippableFact]
    public async Task Acknowledged_writes_survive_repeated_kill_9_on_postgres()
    {
        var postgres = Engines.RequirePostgres();
        var schema = $"crash_{Guid.NewGuid():N}";
        await Engines.ExecutePostgresAsync($"CREATE SCHEMA {schema}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ConnectionString;
            var environment = new Dictionary<string, string>(Unlimited) { ["RepSec__Store"] = "postgres", ["RepSec__Postgres"] = connection };
            var report = await RunAsync(environment, () =>
            {
                using var database = new PostgresDatabase(connection);
                return PostgresLogAudit.Run(database);
            });

            AssertSurvived(report);
        }
        finally
        {
            await Engines.ExecutePostgresAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    /// <summary>
    /// After every other kill, leaves the WAL as a power cut in the middle of the writer's next write would: right
    /// after the last frame of the WAL's current generation, the start of one more frame (its header with that
    /// generation's salts, so recovery reads it, but checksums that cannot match) and part of its page. Recovery must
    /// stop at the last complete commit, and every acknowledged write was in a commit before it.
    /// </summary>
    private bool TearWal(Random random)
    {
        var path = Path.Combine(_data, "repsec.db-wal");
        if (random.Next(2) == 0 || !File.Exists(path))
        {
            return false;
        }

        using var wal = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var header = new byte[32];
        if (wal.Read(header) < header.Length)
        {
            return false;
        }

        // The WAL format (sqlite.org/fileformat2.html#walformat): a 32-byte header with the page size at 8 and the
        // generation's salts at 16, then frames of a 24-byte header (salts at 8) and one page each.
        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        var salts = header.AsSpan(16, 8).ToArray();
        var frame = new byte[24 + pageSize];
        var end = 32L;
        while (wal.Read(frame) == frame.Length && frame.AsSpan(8, 8).SequenceEqual(salts))
        {
            end += frame.Length;
        }

        var torn = new byte[24 + random.Next(0, pageSize)];
        random.NextBytes(torn);
        BinaryPrimitives.WriteUInt32BigEndian(torn, 1);
        salts.CopyTo(torn, 8);
        wal.Position = end;
        wal.Write(torn);
        return true;
    }

    private async Task<CrashCycles.Report> RunAsync(
        Dictionary<string, string> environment, Func<Core.Transparency.LogAuditReport> audit, Func<Random, bool>? afterKill = null)
    {
        var cycles = TestSettings.Int("REPSEC_CRASH_CYCLES") ?? DefaultCycles;
        var seed = TestSettings.Int("REPSEC_CRASH_SEED") ?? Random.Shared.Next();
        output.WriteLine($"crash harness: {cycles} cycles, {Writers} writers, seed {seed} (REPSEC_CRASH_SEED={seed} repeats the kill moments)");
        var report = await new CrashCycles(new CrashCycles.Settings(cycles, Writers, seed, _data, environment, audit, afterKill)).RunAsync();
        output.WriteLine(report.ToString());
        foreach (var problem in report.Problems)
        {
            output.WriteLine(problem);
        }

        return report;
    }

    private static void AssertSurvived(CrashCycles.Report report)
    {
        Assert.True(report.Problems.Count == 0, $"{report}: {string.Join("; ", report.Problems)} (the test output names the seed)");
        // The harness must have had writes to lose: a run in which nothing was acknowledged proves nothing.
        Assert.True(report.Registered >= 100 && report.Removed >= 10, report.ToString());
        Assert.True(report.Reported >= 100 && report.Superseding >= 10 && report.Withdrawn >= 10, report.ToString());
    }
}
