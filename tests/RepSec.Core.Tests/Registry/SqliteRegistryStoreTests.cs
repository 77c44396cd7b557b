using RepSec.Core.Registry;
using RepSec.Protocol.Entities;
using RepSec.Storage.Sqlite;

namespace RepSec.Core.Tests.Registry;

public sealed class SqliteRegistryStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Registration Registration(string key, string owner = "alice") =>
        new(EntityType.Domain, key, key, owner, """{"k":"v"}""", At,
            RecordDigest.Compute(EntityType.Domain, key, key, owner, """{"k":"v"}""", At));

    [Fact]
    public async Task Register_find_remove_and_history()
    {
        await using var store = new SqliteRegistryStore(new SqliteDatabase(_directory));

        var first = await store.RegisterAsync(Registration("a.example"));
        var again = await store.RegisterAsync(Registration("a.example", "bob"));
        var found = await store.FindAsync(EntityType.Domain, "a.example");
        var wrongOwner = await store.RemoveAsync(new Removal(EntityType.Domain, "a.example", "bob", "bob", At));
        var removed = await store.RemoveAsync(new Removal(EntityType.Domain, "a.example", "alice", "alice", At.AddSeconds(1)));
        var missing = await store.RemoveAsync(new Removal(EntityType.Domain, "a.example", "alice", null, At));
        var history = await store.GetHistoryAsync(EntityType.Domain, "a.example");

        Assert.Equal(new WriteOutcome(WriteStatus.Done, 0), first);
        Assert.Equal(WriteStatus.AlreadyRegistered, again.Status);
        Assert.NotNull(found);
        Assert.True(RecordDigest.Matches(found));
        Assert.Equal("alice", found.Owner);
        Assert.Equal(At, found.RegisteredAt);
        Assert.Equal(WriteStatus.NotOwner, wrongOwner.Status);
        Assert.Equal(new WriteOutcome(WriteStatus.Done, 1), removed);
        Assert.Equal(WriteStatus.NotFound, missing.Status);
        Assert.Null(await store.FindAsync(EntityType.Domain, "a.example"));
        Assert.Equal(
            [new AuditEntry(0, "register", "alice", At), new AuditEntry(1, "remove", "alice", At.AddSeconds(1))],
            history);
        Assert.Empty(await store.GetHistoryAsync(EntityType.Domain, "never.example"));
    }

    [Fact]
    public async Task Concurrent_writes_are_committed_in_groups_with_distinct_consecutive_indices_and_survive_reopen()
    {
        await using (var store = new SqliteRegistryStore(new SqliteDatabase(_directory)))
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.RegisterAsync(Registration($"e{i}.example")).AsTask()));
            Assert.All(outcomes, o => Assert.Equal(WriteStatus.Done, o.Status));
            Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), outcomes.Select(o => o.LogIndex).Order());
        }

        await using var reopened = new SqliteRegistryStore(new SqliteDatabase(_directory));
        for (var i = 0; i < 200; i++)
        {
            Assert.NotNull(await reopened.FindAsync(EntityType.Domain, $"e{i}.example"));
        }
    }

    [Fact]
    public async Task A_row_edited_behind_the_servers_back_no_longer_matches_its_digest()
    {
        var database = new SqliteDatabase(_directory);
        await using var store = new SqliteRegistryStore(database);
        await store.RegisterAsync(Registration("t.example"));

        using (var connection = database.Open())
        using (var tamper = connection.CreateCommand())
        {
            tamper.CommandText = "UPDATE entities SET owner = 'mallory'";
            tamper.ExecuteNonQuery();
        }

        var record = await store.FindAsync(EntityType.Domain, "t.example");
        Assert.False(RecordDigest.Matches(record!));
    }
}
