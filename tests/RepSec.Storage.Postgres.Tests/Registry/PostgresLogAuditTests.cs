using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Storage.Postgres.Tests.Registry;

/// <summary>The offline check of a PostgreSQL log: it verifies a log as written and finds rows edited behind its back.</summary>
public sealed class PostgresLogAuditTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly ThrowawayDatabase _throwaway = new();
    private PostgresDatabase? _database;

    public async Task InitializeAsync() => _database = await _throwaway.OpenAsync();

    public async Task DisposeAsync() => await _throwaway.DisposeAsync();

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

        Assert.Equal(1, await _throwaway.ExecuteAsync(edit));

        var report = PostgresLogAudit.Run(database);
        Assert.False(report.Verified);
        Assert.Contains(report.Problems, p => p.Contains(finding, StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("UPDATE reports SET rating = 0.5 WHERE id = 0", "report 0 no longer matches the log entry")]
    [InlineData("UPDATE reports SET categories = '[]' WHERE id = 0", "report 0 no longer matches the log entry")]
    [InlineData("UPDATE reports SET evidence = 'forged' WHERE id = 0", "report 0 no longer matches the log entry")]
    [InlineData("UPDATE reports SET expires_at = expires_at + 1 WHERE id = 1", "report 1 no longer matches the log entry")]
    [InlineData("UPDATE reports SET evidence = 'added later' WHERE id = 1", "report 1 no longer matches the log entry")]
    [InlineData("UPDATE reports SET reporter = 'mallory' WHERE id = 1", "report 1: its reporter no longer opens")]
    [InlineData("UPDATE reports SET reported_at = reported_at + 1 WHERE id = 1", "report 1 is not what log entry 1 records")]
    [InlineData("UPDATE reports SET id = 3 WHERE id = 1", "report 3 is not what log entry 3 records")]
    [InlineData("UPDATE reports SET evidence_sha256 = '' WHERE id = 0", "report 0 no longer matches the log entry")]
    [InlineData("UPDATE reports SET rating = 0 WHERE id = 2", "report 2 no longer matches the log entry")]
    public async Task The_offline_check_recomputes_every_report_even_those_whose_evidence_was_purged(string edit, string finding)
    {
        var database = _database!;
        await using (var store = new PostgresRegistryStore(database))
        {
            await WriteReportsAsync(store);
            var verified = PostgresLogAudit.Run(database);
            Assert.True(verified.Verified, string.Join("; ", verified.Problems));
            // Carol's report was withdrawn, which purged its evidence; its kept hash still lets it recompute.
            Assert.Equal((4L, 0L, 3L), (verified.Entries, verified.Records, verified.Reports));
        }

        Assert.Equal(1, await _throwaway.ExecuteAsync(edit));

        var report = PostgresLogAudit.Run(database);
        Assert.False(report.Verified);
        Assert.Contains(report.Problems, p => p.Contains(finding, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Reports_whose_evidence_retention_purged_still_recompute_and_purged_openings_leave_action_and_time()
    {
        var database = _database!;
        await using var store = new PostgresRegistryStore(database);
        await WriteReportsAsync(store);

        Assert.Equal(new SweepResult(0, 1), await store.SweepAsync(At, At.AddDays(1), 30));
        Assert.Equal(3L, Counts(PostgresLogAudit.Run(database)));
        Assert.Equal(1, await _throwaway.ExecuteAsync("UPDATE reports SET rating = 0.1 WHERE id = 0"));
        Assert.Contains(PostgresLogAudit.Run(database).Problems, p => p.Contains("report 0 no longer matches", StringComparison.Ordinal));
        Assert.Equal(1, await _throwaway.ExecuteAsync("UPDATE reports SET rating = 0.9 WHERE id = 0"));

        // Without the entries' openings no digest can be opened: only each entry's action and time are left to check.
        Assert.Equal(4, await store.PurgeAsync(At.AddDays(1)));
        Assert.Equal(3L, Counts(PostgresLogAudit.Run(database)));
        Assert.Equal(1, await _throwaway.ExecuteAsync("UPDATE reports SET reported_at = reported_at - 1 WHERE id = 0"));
        Assert.Contains(PostgresLogAudit.Run(database).Problems, p => p.Contains("report 0 is not what log entry 0 records", StringComparison.Ordinal));

        static long Counts(LogAuditReport report)
        {
            Assert.True(report.Verified, string.Join("; ", report.Problems));
            return report.Reports;
        }
    }

    /// <summary>Entries 0-3: alice's report with evidence, bob's without, carol's with evidence, carol's withdrawal of it.</summary>
    private static async Task WriteReportsAsync(PostgresRegistryStore store)
    {
        var entity = new CanonicalEntity(EntityType.Domain, "Spam.Example", "spam.example");
        await store.ReportAsync(ReportDraft.Create(entity, "alice", ReputationAssertions.Spam, 0.9, 0.75, ["botnet"], "Received: from ...", At, At.AddDays(30), TimeSpan.FromHours(1)), 1, 30);
        await store.ReportAsync(ReportDraft.Create(entity, "bob", ReputationAssertions.Spam, 1, 1, [], null, At, At.AddDays(30), TimeSpan.FromHours(1)), 1, 30);
        var carol = await store.ReportAsync(ReportDraft.Create(entity, "carol", ReputationAssertions.Phishing, 1, 1, [], "a link", At, At.AddDays(30), TimeSpan.FromHours(1)), 1, 30);
        Assert.Equal(ReportStatus.Done, (await store.WithdrawAsync(new Withdrawal(carol.LogIndex, "carol", "carol", At.AddMinutes(1)), 30)).Status);
    }
}
