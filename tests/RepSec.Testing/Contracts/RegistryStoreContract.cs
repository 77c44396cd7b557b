using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>
/// What every <see cref="IRegistryStore"/> must do, whatever engine is behind it. A store's test class derives
/// from this and says how to open the store (and how to open it again on the same data).
/// </summary>
public abstract partial class RegistryStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);

    protected IRegistryStore Store { get; private set; } = null!;

    /// <summary>Opens the store on this test's data; called again by reopening tests on the same data.</summary>
    protected abstract Task<IRegistryStore> OpenAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public virtual Task DisposeAsync() => CloseAsync();

    private async Task CloseAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected static Registration Registration(string key, string owner = "alice", EntityType type = EntityType.Domain, string? attributes = """{"k":"v"}""") =>
        Core.Registry.Registration.Create(type, key, key, owner, attributes, At);

    protected async Task ReopenAsync()
    {
        await CloseAsync();
        Store = await OpenAsync();
    }

    [SkippableFact]
    public async Task A_registration_is_found_with_its_committed_digest()
    {
        var outcome = await Store.RegisterAsync(Registration("a.example"));
        var found = await Store.FindAsync(EntityType.Domain, "a.example");

        Assert.Equal(WriteStatus.Done, outcome.Status);
        Assert.NotNull(found);
        Assert.Equal(("a.example", "alice", """{"k":"v"}""", At, outcome.LogIndex), (found.Value, found.Owner, found.AttributesJson, found.RegisteredAt, found.LogIndex));
        Assert.True(RecordDigest.Matches(found));
    }

    [SkippableFact]
    public async Task The_same_key_under_another_type_is_another_entity()
    {
        await Store.RegisterAsync(Registration("x.example"));

        Assert.Equal(WriteStatus.Done, (await Store.RegisterAsync(Registration("x.example", type: EntityType.UserId))).Status);
        Assert.Equal(WriteStatus.AlreadyRegistered, (await Store.RegisterAsync(Registration("x.example", "bob"))).Status);
        Assert.Equal("alice", (await Store.FindAsync(EntityType.Domain, "x.example"))!.Owner);
    }

    [SkippableFact]
    public async Task Removal_checks_the_owner_atomically_and_keeps_the_history()
    {
        await Store.RegisterAsync(Registration("r.example"));

        var byOther = await Store.RemoveAsync(Removal.Create(EntityType.Domain, "r.example", "bob", "bob", At));
        var byOwner = await Store.RemoveAsync(Removal.Create(EntityType.Domain, "r.example", "alice", "alice", At.AddSeconds(1)));
        var again = await Store.RemoveAsync(Removal.Create(EntityType.Domain, "r.example", "alice", null, At));
        var reRegistered = await Store.RegisterAsync(Registration("r.example", "bob"));
        var history = await Store.GetHistoryAsync(EntityType.Domain, "r.example");

        Assert.Equal(WriteStatus.NotOwner, byOther.Status);
        Assert.Equal(WriteStatus.Done, byOwner.Status);
        Assert.Equal(WriteStatus.NotFound, again.Status);
        Assert.Equal(WriteStatus.Done, reRegistered.Status);
        Assert.Equal([("register", "alice"), ("remove", "alice"), ("register", "bob")], history.Select(e => (e.Action, e.Actor)));
        Assert.Equal(history.Select(e => e.Index).Order(), history.Select(e => e.Index));
    }

    [SkippableFact]
    public async Task Writes_queued_together_are_decided_in_order()
    {
        await Store.RegisterAsync(Registration("stored.example"));

        // Submitted without waiting, so a store that groups writes decides them together, in this order.
        Task<WriteOutcome>[] queued =
        [
            Store.RegisterAsync(Registration("stored.example", "bob")).AsTask(),
            Store.RemoveAsync(Removal.Create(EntityType.Domain, "stored.example", "bob", "bob", At)).AsTask(),
            Store.RemoveAsync(Removal.Create(EntityType.Domain, "stored.example", "alice", "alice", At)).AsTask(),
            Store.RegisterAsync(Registration("stored.example", "bob")).AsTask(),
            Store.RegisterAsync(Registration("fresh.example", "carol")).AsTask(),
            Store.RemoveAsync(Removal.Create(EntityType.Domain, "fresh.example", "root", null, At)).AsTask(),
            Store.RemoveAsync(Removal.Create(EntityType.Domain, "fresh.example", "root", null, At)).AsTask(),
            Store.RegisterAsync(Registration("fresh.example", "dave")).AsTask(),
            Store.RemoveAsync(Removal.Create(EntityType.Domain, "stored.example", "carol", "carol", At)).AsTask(),
        ];
        var outcomes = await Task.WhenAll(queued);

        Assert.Equal(
            [WriteStatus.AlreadyRegistered, WriteStatus.NotOwner, WriteStatus.Done, WriteStatus.Done, WriteStatus.Done,
             WriteStatus.Done, WriteStatus.NotFound, WriteStatus.Done, WriteStatus.NotOwner],
            outcomes.Select(o => o.Status));
        Assert.Equal([1L, 2, 3, 4, 5], outcomes.Where(o => o.Status == WriteStatus.Done).Select(o => o.LogIndex));
        var stored = (await Store.FindAsync(EntityType.Domain, "stored.example"))!;
        var fresh = (await Store.FindAsync(EntityType.Domain, "fresh.example"))!;
        Assert.Equal((("bob", 2L), ("dave", 5L)), ((stored.Owner, stored.LogIndex), (fresh.Owner, fresh.LogIndex)));
        Assert.True(RecordDigest.Matches(fresh));
        Assert.Equal(["register", "remove", "register"], (await Store.GetHistoryAsync(EntityType.Domain, "stored.example")).Select(e => e.Action));
    }

    [SkippableFact]
    public async Task An_admin_removal_needs_no_owner()
    {
        await Store.RegisterAsync(Registration("admin.example"));

        Assert.Equal(WriteStatus.Done, (await Store.RemoveAsync(Removal.Create(EntityType.Domain, "admin.example", "root", null, At))).Status);
        Assert.Null(await Store.FindAsync(EntityType.Domain, "admin.example"));
    }

    [SkippableFact]
    public async Task Never_registered_entities_have_no_record_and_no_history()
    {
        Assert.Null(await Store.FindAsync(EntityType.Ip, "192.0.2.1"));
        Assert.Empty(await Store.GetHistoryAsync(EntityType.Ip, "192.0.2.1"));
    }

    [SkippableFact]
    public async Task Concurrent_writes_get_distinct_consecutive_log_indices()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Store.RegisterAsync(Registration($"c{i}.example")).AsTask()));
        var duplicates = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Store.RegisterAsync(Registration("same.example")).AsTask()));

        Assert.All(outcomes, o => Assert.Equal(WriteStatus.Done, o.Status));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), outcomes.Select(o => o.LogIndex).Order());
        Assert.Single(duplicates, d => d.Status == WriteStatus.Done);
        Assert.Equal(49, duplicates.Count(d => d.Status == WriteStatus.AlreadyRegistered));
    }

    [SkippableFact]
    public async Task Acknowledged_writes_survive_reopening()
    {
        for (var i = 0; i < 20; i++)
        {
            await Store.RegisterAsync(Registration($"keep{i}.example"));
        }

        await Store.RemoveAsync(Removal.Create(EntityType.Domain, "keep0.example", "alice", "alice", At));
        await ReopenAsync();

        Assert.Null(await Store.FindAsync(EntityType.Domain, "keep0.example"));
        for (var i = 1; i < 20; i++)
        {
            Assert.NotNull(await Store.FindAsync(EntityType.Domain, $"keep{i}.example"));
        }

        Assert.Equal(21L, (await Store.RegisterAsync(Registration("after.example"))).LogIndex);
    }

    [SkippableFact]
    public async Task Text_round_trips_exactly()
    {
        const string Attributes = """{"name":"Zoë \u2603 \"quoted\" \\ back","n":1.5e3}""";
        var key = "caf\u00e9 \U0001F600 org";
        await Store.RegisterAsync(Registration(key, "alice", EntityType.Organization, Attributes));

        var found = await Store.FindAsync(EntityType.Organization, key);

        Assert.Equal((key, Attributes), (found!.Value, found.AttributesJson));
        Assert.True(RecordDigest.Matches(found));
    }
}
