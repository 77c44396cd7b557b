using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Tests.Postgres;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;
using RepSec.Storage.Postgres;

namespace RepSec.Core.Tests.Registry;

/// <summary>The offline check of a PostgreSQL log: it verifies a log as written and finds rows edited behind its back.</summary>
public sealed class PostgresLogAuditTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private PostgresTestSchema? _schema;
    private PostgresDatabase? _database;

    public async Task InitializeAsync()
    {
        (_schema, _database) = await PostgresTestSchema.CreateAsync(connectionString => new PostgresDatabase(connectionString));
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [SkippableTheory]
    [InlineData("UPDATE log_entries SET actor = 'mallory' WHERE log_index = 1", "opens its commitments")]
    [InlineData("UPDATE log_entries SET actor = 'mallory' WHERE log_index = 4", "opens its commitments")]
    [InlineData("UPDATE log_entries SET at = at - 1 WHERE log_index = 2", "entry 2 no longer hashes to its leaf")]
    [InlineData("UPDATE log_entries SET leaf = decode(repeat('00', 32), 'hex') WHERE log_index = 0", "does not match its leaves")]
    [InlineData("DELETE FROM log_nodes WHERE id = (SELECT max(id) FROM log_nodes)", "tree node (2, 0) is missing")]
    [InlineData("DELETE FROM log_entries WHERE log_index = 3", "entry 3 is missing")]
    [InlineData("UPDATE log_head SET size = size + 1", "the log head says 6")]
    [InlineData("UPDATE entities SET attributes = '{}' WHERE key = 'a1.example'", "no longer matches the log entry")]
    public async Task The_offline_check_verifies_the_log_and_finds_every_kind_of_edit(string edit, string finding)
    {
        var database = _database!;
        await using (var store = new PostgresRegistryStore(database))
        {
            for (var i = 0; i < 4; i++)
            {
                await store.RegisterAsync(Registration.Create(EntityType.Domain, $"a{i}.example", $"a{i}.example", "alice", """{"k":"v"}""", At));
            }

            await new PostgresPrincipalStore(database).EnsurePrincipalAsync("opal", Role.Admin);
            var verified = PostgresLogAudit.Run(database);
            Assert.True(verified.Verified, string.Join("; ", verified.Problems));
            Assert.Equal((5L, 4L), (verified.Entries, verified.Records));
            Assert.Equal(await new TransparencyLog(store, new LogSigningKey("audit.example/log", SignedNote.NewPrivateKey())).RootAsync(5), verified.Root);
        }

        Assert.Equal(1, await _schema!.ExecuteAsync(edit));

        var report = PostgresLogAudit.Run(database);
        Assert.False(report.Verified);
        Assert.Contains(report.Problems, p => p.Contains(finding, StringComparison.Ordinal));
    }
}
