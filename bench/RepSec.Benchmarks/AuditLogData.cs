using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// A data directory whose log holds exactly <c>size</c> entries, written through the real stores: the auditor's
/// principal and token (entries 0 and 1), <see cref="Entity"/> registered (2), filler registrations, the entity
/// removed (size / 2), more fillers, and the entity registered again (size - 1). Fillers are submitted thousands
/// at a time so the group-commit writer fills its 1,024-write transactions.
/// Built once per size and schema under the temp directory and reused; delete it to rebuild.
/// </summary>
internal sealed record AuditLogData(string Directory, string Token, long[] EntityIndices)
{
    public const string Entity = "audited.example";
    private const int Outstanding = 8_192;
    private const string ReadyFile = "bench-ready";

    public static async Task<AuditLogData> OpenOrBuildAsync(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var schema = SchemaVersion();
        var directory = Path.Combine(Path.GetTempPath(), "repsec-bench", $"audit-schema{schema}-{size}");
        var ready = Path.Combine(directory, ReadyFile);
        if (!File.Exists(ready))
        {
            await BuildAsync(directory, size);
        }

        var token = await File.ReadAllTextAsync(ready);
        return new AuditLogData(directory, token, [2, size / 2, size - 1]);
    }

    private static async Task BuildAsync(string directory, int size)
    {
        var building = directory + ".building";
        if (System.IO.Directory.Exists(building))
        {
            System.IO.Directory.Delete(building, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        string token;
        await using (var services = BenchServer.BuildServices(building))
        {
            var principals = services.GetRequiredService<IPrincipalStore>();
            await principals.EnsurePrincipalAsync("audra", Role.Auditor);
            (token, var id, var hash) = BearerToken.Create();
            await principals.StoreTokenAsync(id, "audra", hash, DateTimeOffset.UtcNow);

            var store = services.GetRequiredService<IRegistryStore>();
            await Expect(store.RegisterAsync(Register(Entity, "alice")), 2);
            await FillAsync(store, 3, size / 2);
            await Expect(store.RemoveAsync(Removal.Create(EntityType.Domain, Entity, "alice", "alice", DateTimeOffset.UtcNow)), size / 2);
            await FillAsync(store, (size / 2) + 1, size - 1);
            await Expect(store.RegisterAsync(Register(Entity, "alice")), size - 1);

            var logSize = await services.GetRequiredService<ITransparencyLogStore>().GetTreeSizeAsync();
            if (logSize != size)
            {
                throw new InvalidOperationException($"built a log of {logSize} entries, wanted {size}");
            }
        }

        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.Move(building, directory);
        await File.WriteAllTextAsync(Path.Combine(directory, ReadyFile), token);
        Console.WriteLine($"// built a log of {size:N0} entries in {clock.Elapsed.TotalSeconds:F1} s under {directory}");
    }

    /// <summary>Registers fillers for log indices [from, to), keeping <see cref="Outstanding"/> writes in flight.</summary>
    private static Task FillAsync(IRegistryStore store, int from, int to) =>
        Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = Outstanding },
            async (i, ct) =>
            {
                var outcome = await store.RegisterAsync(Register($"f{i:x8}.example", "filler"), ct);
                if (outcome.Status != WriteStatus.Done)
                {
                    throw new InvalidOperationException($"filler {i}: {outcome.Status}");
                }
            });

    private static Registration Register(string domain, string owner) =>
        Registration.Create(EntityType.Domain, domain, domain, owner, null, DateTimeOffset.UtcNow);

    private static async Task Expect(ValueTask<WriteOutcome> write, long index)
    {
        var outcome = await write;
        if (outcome.Status != WriteStatus.Done || outcome.LogIndex != index)
        {
            throw new InvalidOperationException($"expected log index {index}, got {outcome}");
        }
    }

    /// <summary>The schema version keys the cache: a migration makes the old database stale.</summary>
    private static int SchemaVersion()
    {
        var probe = System.IO.Directory.CreateTempSubdirectory("repsec-schema-").FullName;
        try
        {
            return new RepSec.Storage.Sqlite.SqliteDatabase(probe).SchemaVersion;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(probe, recursive: true);
        }
    }
}
