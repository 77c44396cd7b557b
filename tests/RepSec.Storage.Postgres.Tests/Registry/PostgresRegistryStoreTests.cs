using System.Net;
using System.Net.Sockets;
using Npgsql;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;
using RepSec.Testing.Postgres;

namespace RepSec.Storage.Postgres.Tests.Registry;

/// <summary>
/// What only the PostgreSQL store shows: several nodes (each its own data source and writer) on one database, its
/// migrations, and PostgreSQL going away. The shared behaviour is in Contracts/.
/// </summary>
public sealed class PostgresRegistryStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _owned = [];
    private PostgresTestSchema? _schema;

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Two_nodes_writing_at_once_append_to_one_log_without_gaps()
    {
        var first = Own(new PostgresDatabase(Schema.ConnectionString));
        var second = Own(new PostgresDatabase(Schema.ConnectionString));
        var a = Own(new PostgresRegistryStore(first));
        var b = Own(new PostgresRegistryStore(second));
        var operators = new PostgresPrincipalStore(Own(new PostgresDatabase(Schema.ConnectionString)));

        // One after another on each node (many small transactions, the frontier reloaded nearly every time), then
        // a burst on both, a key both race for, and operator actions from a third node in the middle of it all.
        static async Task<List<WriteOutcome>> OneByOne(PostgresRegistryStore store, string prefix)
        {
            var outcomes = new List<WriteOutcome>();
            for (var i = 0; i < 60; i++)
            {
                outcomes.Add(await store.RegisterAsync(Registration($"{prefix}{i}.example")));
            }

            return outcomes;
        }

        var sequential = Task.WhenAll(OneByOne(a, "sa"), OneByOne(b, "sb"));
        var burst = Task.WhenAll(Enumerable.Range(0, 100).SelectMany(i => (Task<WriteOutcome>[])[
            a.RegisterAsync(Registration($"ba{i}.example")).AsTask(), b.RegisterAsync(Registration($"bb{i}.example")).AsTask()]));
        var raced = Task.WhenAll(a.RegisterAsync(Registration("both.example")).AsTask(), b.RegisterAsync(Registration("both.example")).AsTask());
        var principals = Task.WhenAll(Enumerable.Range(0, 5).Select(i => operators.EnsurePrincipalAsync($"op{i}", Role.Registrant).AsTask()));
        var outcomes = (await sequential).SelectMany(o => o).Concat(await burst).ToList();
        var race = await raced;
        await principals;

        Assert.All(outcomes, o => Assert.Equal(WriteStatus.Done, o.Status));
        Assert.Equal([WriteStatus.Done, WriteStatus.AlreadyRegistered], race.Select(o => o.Status).Order());
        const long Size = 120 + 200 + 1 + 5;
        var registered = outcomes.Append(race.Single(o => o.Status == WriteStatus.Done)).Select(o => o.LogIndex).ToHashSet();
        Assert.Equal(321, registered.Count);
        Assert.Equal(Size, await a.GetTreeSizeAsync());
        Assert.Equal(Size, await b.GetTreeSizeAsync());

        // Every stored entry rebuilt into its leaf: indices 0..n-1 with no gap, one tree whose root both nodes give.
        var leaves = await StoredLeavesAsync(first);
        Assert.Equal(Enumerable.Range(0, (int)Size).Select(i => (long)i), leaves.Keys);
        Assert.Subset(leaves.Keys.ToHashSet(), registered);
        var key = new LogSigningKey("nodes.example/log", SignedNote.NewPrivateKey());
        var checkpoint = await new TransparencyLog(a, key).LatestCheckpointAsync();
        var logB = new TransparencyLog(b, key);
        Assert.Equal(Size, checkpoint.Size);
        Assert.Equal(Mth([.. leaves.Values]), checkpoint.Root);
        Assert.Equal(checkpoint.Root, await logB.RootAsync(Size));
        long[] indices = [0, 161, Size - 1];
        var proofs = await logB.InclusionProofsAsync(indices, Size);
        for (var i = 0; i < indices.Length; i++)
        {
            Assert.True(MerkleProofs.VerifyInclusion(leaves[indices[i]], indices[i], Size, proofs[i], checkpoint.Root));
        }

        var audit = PostgresLogAudit.Run(second);
        Assert.True(audit.Verified, string.Join("; ", audit.Problems));
        Assert.Equal((Size, 321L), (audit.Entries, audit.Records));
    }

    [SkippableFact]
    public async Task Nodes_starting_together_migrate_the_schema_once()
    {
        var started = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => new PostgresDatabase(Schema.ConnectionString))));
        foreach (var database in started)
        {
            Own(database);
        }

        Assert.All(started, d => Assert.Equal(PostgresSchema.Migrations.Length, d.SchemaVersion));
        Assert.Equal(PostgresSchema.Migrations.Length, await Schema.ScalarAsync<int>("SELECT version FROM repsec_schema"));
        Assert.Equal(1L, await Schema.ScalarAsync<long>("SELECT count(*) FROM repsec_schema"));
        Assert.Equal(1L, await Schema.ScalarAsync<long>("SELECT count(*) FROM log_head"));
        var store = Own(new PostgresRegistryStore(started[^1]));
        Assert.Equal(0L, (await store.RegisterAsync(Registration("first.example"))).LogIndex);
    }

    [SkippableFact]
    public async Task Once_migrated_a_node_needs_no_rights_beyond_reading_and_writing_the_tables()
    {
        Own(new PostgresDatabase(Schema.ConnectionString));
        // Roles are per server, not per schema: this one is named after the schema and dropped below.
        var role = Schema.Name + "_dml";
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        await Schema.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        try
        {
            await Schema.ExecuteAsync($"GRANT USAGE ON SCHEMA {Schema.Name} TO {role}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {Schema.Name} TO {role}");
            await using var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(Schema.ConnectionString) { Username = role, Password = password }.ToString());
            await using var store = new PostgresRegistryStore(database);

            Assert.Equal(0L, (await store.RegisterAsync(Registration("dml.example"))).LogIndex);
            Assert.Equal(Role.Admin, (await new PostgresPrincipalStore(database).EnsurePrincipalAsync("dana", Role.Admin)).Role);
        }
        finally
        {
            await Schema.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [SkippableFact]
    public async Task A_schema_newer_than_the_code_is_refused()
    {
        Own(new PostgresDatabase(Schema.ConnectionString));
        await Schema.ExecuteAsync("UPDATE repsec_schema SET version = version + 1");

        var refused = Assert.Throws<InvalidOperationException>(() => new PostgresDatabase(Schema.ConnectionString));

        var latest = PostgresSchema.Migrations.Length;
        Assert.Contains($"'{Schema.Name}' has RepSec schema version {latest + 1}, newer than this repsecd supports ({latest})", refused.Message, StringComparison.Ordinal);
        AssertNoPassword(refused);
    }

    [SkippableFact]
    public void Starting_against_a_closed_port_fails_without_echoing_the_connection_string()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failed = Assert.ThrowsAny<NpgsqlException>(() => new PostgresDatabase(Schema.ConnectionStringVia("127.0.0.1", closed, timeoutSeconds: 2)));

        AssertNoPassword(failed);
    }

    [SkippableFact]
    public async Task While_PostgreSQL_is_unreachable_calls_fail_and_nothing_is_acknowledged_then_they_work_again()
    {
        var server = new NpgsqlConnectionStringBuilder(Schema.ConnectionString);
        var relay = Own(new LoopbackRelay(server.Host!, server.Port));
        var database = Own(new PostgresDatabase(Schema.ConnectionStringVia("127.0.0.1", relay.Port, timeoutSeconds: 5)));
        var store = Own(new PostgresRegistryStore(database));
        var principals = new PostgresPrincipalStore(database);
        Assert.Equal(0L, (await store.RegisterAsync(Registration("before.example"))).LogIndex);
        Assert.NotNull(await store.FindAsync(EntityType.Domain, "before.example"));

        relay.Cut();
        AssertNoPassword(await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.RegisterAsync(Registration("during.example"))));
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.FindAsync(EntityType.Domain, "before.example"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.GetTreeSizeAsync());
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await principals.EnsurePrincipalAsync("olive", Role.Registrant));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => database.PingAsync());

        // Back: the same store and writer serve again, and the failed write left nothing behind.
        relay.Restore();
        await database.PingAsync();
        Assert.Null(await store.FindAsync(EntityType.Domain, "during.example"));
        Assert.Equal(1L, await store.GetTreeSizeAsync());
        Assert.Equal(1L, (await store.RegisterAsync(Registration("after.example"))).LogIndex);
        Assert.Equal(Role.Registrant, (await principals.EnsurePrincipalAsync("olive", Role.Registrant)).Role);
        Assert.Equal(3L, await store.GetTreeSizeAsync());
        Assert.True(PostgresLogAudit.Run(database).Verified);
    }

    [SkippableFact]
    public async Task Text_PostgreSQL_cannot_hold_fails_that_write_alone_not_the_batch_around_it()
    {
        var store = Own(new PostgresRegistryStore(Own(new PostgresDatabase(Schema.ConnectionString))));
        var writes = Enumerable.Range(0, 20).Select(i => store.RegisterAsync(Registration($"ok{i}.example")).AsTask()).ToList();
        var withNul = store.RegisterAsync(Registration("nul\0.example")).AsTask();
        var unpaired = store.RegisterAsync(Registration("half\ud800.example")).AsTask();

        await Assert.ThrowsAsync<ArgumentException>(() => withNul);
        await Assert.ThrowsAsync<ArgumentException>(() => unpaired);
        Assert.All(await Task.WhenAll(writes), o => Assert.Equal(WriteStatus.Done, o.Status));
        Assert.Equal(20L, await store.GetTreeSizeAsync());
    }

    private static Registration Registration(string key) =>
        Core.Registry.Registration.Create(EntityType.Domain, key, key, "alice", """{"k":"v"}""", At);

    private T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    private void AssertNoPassword(Exception exception)
    {
        var password = new NpgsqlConnectionStringBuilder(Schema.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(password), "the test server's connection string has no password to look for");
        Assert.DoesNotContain(password, exception.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every stored entry's leaf, recomputed from its columns and checked against the stored one.</summary>
    private static async Task<SortedDictionary<long, byte[]>> StoredLeavesAsync(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf FROM log_entries ORDER BY log_index");
        await using var reader = await command.ExecuteReaderAsync();
        var leaves = new SortedDictionary<long, byte[]>();
        while (await reader.ReadAsync())
        {
            var commitments = new EntryCommitments(reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5));
            var leaf = LogEntryDraft.Leaf(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), commitments).Hash();
            Assert.Equal(reader.GetFieldValue<byte[]>(6), leaf);
            leaves.Add(reader.GetInt64(0), leaf);
        }

        return leaves;
    }

    /// <summary>RFC 9162 MTH, recursively: independent of the store's frontier and stored nodes.</summary>
    private static byte[] Mth(byte[][] leaves)
    {
        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var split = 1 << System.Numerics.BitOperations.Log2((uint)(leaves.Length - 1));
        return MerkleHash.Node(Mth(leaves[..split]), Mth(leaves[split..]));
    }
}
