using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite.Tests.Registry;

/// <summary>What only the SQLite store shows; the shared behaviour is in Contracts/.</summary>
public sealed class SqliteRegistryStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Registration Registration(string key, string owner = "alice") =>
        Core.Registry.Registration.Create(EntityType.Domain, key, key, owner, """{"k":"v"}""", At);

    [Fact]
    public async Task A_row_edited_behind_the_servers_back_changes_nothing_served_is_named_offline_and_no_longer_matches_once_loaded()
    {
        var database = new SqliteDatabase(_directory);
        await using (var store = new SqliteRegistryStore(database))
        {
            await store.RegisterAsync(Registration("t.example"));

            using (var connection = database.Open())
            using (var tamper = connection.CreateCommand())
            {
                tamper.CommandText = "UPDATE entities SET owner = 'mallory'";
                Assert.Equal(1, tamper.ExecuteNonQuery());
            }

            // What the server serves is what it committed, not what the row now says.
            var served = await store.FindAsync(EntityType.Domain, "t.example");
            Assert.Equal("alice", served!.Owner);
            Assert.True(RecordDigest.Matches(served));
            Assert.Contains(SqliteLogAudit.Run(database).Problems, p => p.Contains("domain t.example no longer matches the log entry", StringComparison.Ordinal));
        }

        // Started again, the server loads the row as it is, and it no longer matches its log entry.
        await using var restarted = new SqliteRegistryStore(database);
        var loaded = await restarted.FindAsync(EntityType.Domain, "t.example");
        Assert.Equal("mallory", loaded!.Owner);
        Assert.False(RecordDigest.Matches(loaded));
    }

    [Fact]
    public async Task After_a_start_every_loaded_entity_is_checked_against_its_log_entry_in_the_background()
    {
        var database = await RegisteredThenEdited("c", 50, "UPDATE entities SET owner = 'mallory' WHERE key = 'c7.example'", 1);
        await using var restarted = new SqliteRegistryStore(database);
        Assert.Equal((50, 1), await Counts(restarted));
        Assert.False(RecordDigest.Matches((await restarted.FindAsync(EntityType.Domain, "c7.example"))!));
        Assert.True(RecordDigest.Matches((await restarted.FindAsync(EntityType.Domain, "c8.example"))!));
    }

    [Fact]
    public async Task The_check_in_many_ranges_on_every_core_counts_each_loaded_entity_once()
    {
        var database = await RegisteredThenEdited("r", 60, "UPDATE entities SET owner = 'mallory' WHERE key IN ('r0.example', 'r31.example', 'r59.example')", 3);
        // Seven log indices per range: nine ranges, shared by the threads.
        await using var restarted = new SqliteRegistryStore(database, Task.CompletedTask, checkRange: 7);
        Assert.Equal((60, 3), await Counts(restarted));
        foreach (var i in Enumerable.Range(0, 60))
        {
            var record = restarted.Held(EntityType.Domain, $"r{i}.example")!;
            Assert.Equal(i is not (0 or 31 or 59), RecordDigest.Known(record));
        }
    }

    private static async Task<(int, int)> Counts(SqliteRegistryStore store)
    {
        var (checkedCount, mismatched, _) = await store.RecordsChecked.WaitAsync(TimeSpan.FromSeconds(30));
        return (checkedCount, mismatched);
    }

    /// <summary>A database with <paramref name="count"/> names registered, then edited while no server runs.</summary>
    private async Task<SqliteDatabase> RegisteredThenEdited(string prefix, int count, string edit, int rowsEdited)
    {
        var database = new SqliteDatabase(_directory);
        await using (var store = new SqliteRegistryStore(database))
        {
            for (var i = 0; i < count; i++)
            {
                await store.RegisterAsync(Registration($"{prefix}{i}.example"));
            }
        }

        using var connection = database.Open();
        using var tamper = connection.CreateCommand();
        tamper.CommandText = edit;
        Assert.Equal(rowsEdited, tamper.ExecuteNonQuery());
        return database;
    }

    [Fact]
    public async Task A_record_handed_out_before_the_background_check_reached_it_is_checked_against_its_entry_first()
    {
        var database = await RegisteredThenEdited("d", 20, "UPDATE entities SET value = 'elsewhere.example' WHERE key IN ('d3.example', 'd14.example')", 2);
        var release = new TaskCompletionSource();
        await using var restarted = new SqliteRegistryStore(database, release.Task);
        await restarted.SearchOrderBuilt.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(restarted.RecordsChecked.IsCompleted);

        // Looked up and searched before the check: each record handed out is checked on the way.
        var tampered = await restarted.FindAsync(EntityType.Domain, "d3.example");
        Assert.Equal(false, RecordDigest.Known(tampered!));
        Assert.Equal(true, RecordDigest.Known((await restarted.FindAsync(EntityType.Domain, "d4.example"))!));
        var page = await restarted.SearchAsync(new RegistrySearch([new SearchTerm(EntityType.Domain, "d1", IsPrefix: true)], SearchOrder.NameAscending, After: null, Limit: 50));
        Assert.Equal(11, page.Count);
        Assert.All(page, record => Assert.Equal(record.Key != "d14.example", RecordDigest.Known(record)));

        // Not yet reached: unknown until the check runs, which then counts every record, those settled before included.
        var unreached = restarted.Held(EntityType.Domain, "d7.example")!;
        Assert.Null(RecordDigest.Known(unreached));
        release.SetResult();
        var (checkedCount, mismatched, _) = await restarted.RecordsChecked.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((20, 2), (checkedCount, mismatched));
        Assert.Equal(true, RecordDigest.Known(unreached));
    }

    [Fact]
    public async Task Every_entitys_history_and_record_read_the_same_after_a_restart()
    {
        var database = new SqliteDatabase(_directory);
        string[] keys = ["again.example", "gone.example", "kept.example", "reported.example"];
        var before = new Dictionary<string, (long[] History, long? Registered)>();
        await using (var store = new SqliteRegistryStore(database))
        {
            // Enough names that the load splits them into ranges, and each kind of history among them.
            for (var i = 0; i < 300; i++)
            {
                await store.RegisterAsync(Registration($"n{i}.example"));
            }

            await store.RegisterAsync(Registration("again.example"));
            await store.RemoveAsync(Removal.Create(EntityType.Domain, "again.example", "alice", "alice", At));
            await store.RegisterAsync(Registration("again.example", "bob"));
            await store.RegisterAsync(Registration("gone.example"));
            await store.RemoveAsync(Removal.Create(EntityType.Domain, "gone.example", "alice", "alice", At));
            await store.RegisterAsync(Registration("kept.example"));
            var reported = new CanonicalEntity(EntityType.Domain, "reported.example", "reported.example");
            await store.ReportAsync(ReportDraft.Create(reported, "alice", ReputationAssertions.Spam, 1, 1, [], null, At, At.AddDays(1), TimeSpan.Zero), 1, 30);
            foreach (var key in keys.Concat(Enumerable.Range(0, 300).Select(i => $"n{i}.example")))
            {
                before[key] = ([.. (await store.GetHistoryAsync(EntityType.Domain, key)).Select(e => e.Index)],
                    (await store.FindAsync(EntityType.Domain, key))?.LogIndex);
            }
        }

        Assert.Equal(3, before["again.example"].History.Length);
        Assert.Equal(2, before["gone.example"].History.Length);
        Assert.Null(before["gone.example"].Registered);
        Assert.Single(before["reported.example"].History);

        await using var restarted = new SqliteRegistryStore(database);
        Assert.Equal(302, restarted.Count);
        foreach (var (key, (history, registered)) in before)
        {
            Assert.Equal(history, (await restarted.GetHistoryAsync(EntityType.Domain, key)).Select(e => e.Index));
            var record = await restarted.FindAsync(EntityType.Domain, key);
            Assert.Equal(registered, record?.LogIndex);
            Assert.True(record is null || RecordDigest.Matches(record), key);
        }
    }

    [Fact]
    public async Task Reputation_is_served_from_memory_as_committed_and_a_restart_serves_the_same()
    {
        var database = new SqliteDatabase(_directory);
        var spam = new CanonicalEntity(EntityType.Domain, "spam.example", "spam.example");
        var mixed = new CanonicalEntity(EntityType.Domain, "mixed.example", "mixed.example");
        var news = new CanonicalEntity(EntityType.Domain, "news.example", "news.example");
        var gone = new CanonicalEntity(EntityType.Domain, "gone.example", "gone.example");
        var quiet = new CanonicalEntity(EntityType.Domain, "quiet.example", "quiet.example");
        CanonicalEntity[] all = [spam, mixed, news, gone, quiet];
        ReportDraft Draft(CanonicalEntity entity, string reporter, double rating, DateTimeOffset at, int days = 30) =>
            ReportDraft.Create(entity, reporter, ReputationAssertions.Spam, rating, 1, [], null, at, at.AddDays(days), TimeSpan.Zero);

        List<EntityReputation> served;
        IReadOnlyDictionary<string, ReputationAggregate> norms;
        await using (var store = new SqliteRegistryStore(database))
        {
            await new SqlitePrincipalStore(database).EnsurePrincipalAsync("bob", Core.Security.Role.Registrant);
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(Draft(spam, "alice", 0.9, At), 1, 30)).Status);
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(Draft(mixed, "alice", 1, At), 1, 30)).Status);
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(Draft(mixed, "bob", 0, At.AddMinutes(1)), 1, 30)).Status);
            // Superseded by the same reporter, withdrawn, reweighted by trust, expired by the sweep.
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(Draft(spam, "alice", 0.7, At.AddHours(1)), 1, 30)).Status);
            var withdrawn = await store.ReportAsync(Draft(gone, "alice", 1, At), 1, 30);
            Assert.Equal(ReportStatus.Done, (await store.WithdrawAsync(new Withdrawal(withdrawn.LogIndex, "alice", "alice", At.AddHours(2)), 30)).Status);
            Assert.Equal(ReportStatus.Done, (await store.SetTrustAsync(TrustChange.Create("bob", 0.25, "root", At.AddHours(3)), 30)).Status);
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(Draft(quiet, "carol", 1, At, days: 1), 1, 30)).Status);
            Assert.Equal(1, (await store.SweepAsync(At.AddDays(2), null, 30)).Expired);
            Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Add(news, "a newsletter", "root", At))).Status);
            Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Add(gone, "was wrong", "root", At))).Status);
            Assert.Equal(ReportStatus.Done, (await store.SetAllowlistAsync(AllowlistChange.Remove(gone, "root", At.AddMinutes(1)))).Status);

            served = [.. await Task.WhenAll(all.Select(entity => store.GetAsync(entity).AsTask()))];
            norms = await store.GetNormsAsync();
            Assert.Equal(0.7, served[0].Assertions[ReputationAssertions.Spam].Rating, 6);
            Assert.Equal(2, served[1].Assertions[ReputationAssertions.Spam].Count);
            Assert.Equal(0.8, served[1].Assertions[ReputationAssertions.Spam].Rating, 4);   // alice 1 at weight 1, bob 0 at 0.25 (decayed alike)
            Assert.Equal("a newsletter", served[2].Allowlisted?.Reason);
            Assert.Empty(served[3].Assertions);
            Assert.Null(served[3].Allowlisted);
            Assert.Empty(served[4].Assertions);
            Assert.Equal(3, norms[ReputationAssertions.Spam].Count);

            // Rows edited behind the server's back change nothing it serves.
            using (var connection = database.Open())
            using (var tamper = connection.CreateCommand())
            {
                tamper.CommandText = "UPDATE reputation_aggregates SET count = 9, rated = 0; UPDATE allowlist SET reason = 'paid'; UPDATE reputation_norms SET count = 99";
                Assert.Equal(4, tamper.ExecuteNonQuery());
            }

            Assert.Equal(served[0].Assertions, (await store.GetAsync(spam)).Assertions);
            Assert.Equal("a newsletter", (await store.GetAsync(news)).Allowlisted?.Reason);
            Assert.Equal(3, (await store.GetNormsAsync())[ReputationAssertions.Spam].Count);

            using (var connection = database.Open())
            using (var restore = connection.CreateCommand())
            {
                restore.CommandText = "UPDATE allowlist SET reason = 'a newsletter'";
                restore.ExecuteNonQuery();
            }
        }

        // Started again (the aggregates still edited), the server loads what is stored: the edit is served, and
        // the offline check names it; everything else is served exactly as before the restart.
        await using var restarted = new SqliteRegistryStore(database);
        Assert.Equal(9, (await restarted.GetAsync(spam)).Assertions[ReputationAssertions.Spam].Count);
        Assert.Contains(SqliteLogAudit.Run(database).Problems, p => p.Contains("spam.example", StringComparison.Ordinal));
        Assert.Equal(served[2], await restarted.GetAsync(news) with { Assertions = served[2].Assertions });
        Assert.Equal(served[2].Allowlisted, (await restarted.GetAsync(news)).Allowlisted);
        foreach (var (entity, before) in all.Zip(served).Skip(2))
        {
            var after = await restarted.GetAsync(entity);
            Assert.Equal(before.Assertions, after.Assertions);
            Assert.Equal(before.Allowlisted, after.Allowlisted);
        }
    }

    [Fact]
    public async Task A_database_from_before_the_log_is_migrated_into_it_and_still_verifies()
    {
        // Schema 2 as earlier releases left it: one registration, one removal, history in audit_log.
        var path = Path.Combine(_directory, SqliteDatabase.FileName);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var setup = old.CreateCommand();
            setup.CommandText = SqliteSchema.Migrations[0].Sql + SqliteSchema.Migrations[1].Sql + "PRAGMA user_version = 2;";
            setup.ExecuteNonQuery();
            var digest = RecordDigest.Compute(EntityType.Domain, "old.example", "old.example", "alice", null, At);
            setup.CommandText = """
                INSERT INTO entities VALUES ('domain', 'old.example', 'old.example', 'alice', NULL, $at, 1);
                INSERT INTO audit_log VALUES (0, 'domain', 'gone.example', 'remove', 'bob', $at, NULL);
                INSERT INTO audit_log VALUES (1, 'domain', 'old.example', 'register', 'alice', $at, $digest);
                """;
            setup.Parameters.AddWithValue("$at", At.ToUnixTimeMilliseconds());
            setup.Parameters.AddWithValue("$digest", digest);
            setup.ExecuteNonQuery();
        }

        var database = new SqliteDatabase(_directory);
        await using var store = new SqliteRegistryStore(database);

        Assert.True(RecordDigest.Matches((await store.FindAsync(EntityType.Domain, "old.example"))!));
        Assert.Equal(2L, await store.GetTreeSizeAsync());
        Assert.Equal("bob", Assert.Single(await store.GetHistoryAsync(EntityType.Domain, "gone.example")).Actor);
        Assert.Equal(2L, (await store.RegisterAsync(Registration("new.example"))).LogIndex);
        // The name index now lives in memory only: a migrated name is still taken, found by search, and its history read.
        Assert.Equal(WriteStatus.AlreadyRegistered, (await store.RegisterAsync(Registration("old.example"))).Status);
        Assert.Equal(["new.example", "old.example"], (await store.SearchAsync(new RegistrySearch(
            [new SearchTerm(EntityType.Domain, "", IsPrefix: true)], SearchOrder.NameAscending, null, 10))).Select(r => r.Key));
        Assert.Equal([1L], (await store.GetHistoryAsync(EntityType.Domain, "old.example")).Select(e => e.Index));
        Assert.True(SqliteLogAudit.Run(database).Verified);
    }

    [Theory]
    [InlineData("UPDATE log_entries SET actor = 'mallory' WHERE log_index = 1", "opens its commitments")]
    [InlineData("UPDATE log_entries SET at = at + 1 WHERE log_index = 2", "no longer hashes to its leaf")]
    [InlineData("UPDATE log_entries SET leaf = zeroblob(32) WHERE log_index = 0", "does not match its leaves")]
    [InlineData("DELETE FROM log_nodes WHERE id = (SELECT MAX(id) FROM log_nodes)", "is missing")]
    [InlineData("UPDATE entities SET attributes = '{}' WHERE key = 'a1.example'", "no longer matches the log entry")]
    [InlineData("INSERT INTO entities SELECT type, key, value, 'mallory', attributes, registered_at, 99 FROM entities WHERE key = 'a1.example'", "is stored as registered by entry 99")]
    public async Task The_offline_check_finds_every_kind_of_edit(string edit, string finding)
    {
        var database = new SqliteDatabase(_directory);
        await using (var store = new SqliteRegistryStore(database))
        {
            for (var i = 0; i < 4; i++)
            {
                await store.RegisterAsync(Registration($"a{i}.example"));
            }
        }

        Assert.True(SqliteLogAudit.Run(database).Verified);
        using (var connection = database.Open())
        using (var tamper = connection.CreateCommand())
        {
            tamper.CommandText = edit;
            Assert.Equal(1, tamper.ExecuteNonQuery());
        }

        var report = SqliteLogAudit.Run(database);
        Assert.False(report.Verified);
        Assert.Contains(report.Problems, p => p.Contains(finding, StringComparison.Ordinal));
    }
}
