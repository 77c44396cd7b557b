using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>
/// What every <see cref="IReputationStore"/> must do, whatever engine is behind it. A store's test class says how to
/// open the store and a principal store on the same data (and how to open both again); the reputation store must
/// also be the <see cref="ITransparencyLogStore"/> its writes append to.
/// </summary>
public abstract partial class ReputationStoreContract : IAsyncLifetime
{
    protected const double HalfLife = 30;
    protected const double DefaultTrust = 1;
    protected const string Spam = ReputationAssertions.Spam;
    protected const string Phishing = ReputationAssertions.Phishing;

    protected static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    protected static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    protected static readonly CanonicalEntity E1 = Entity("e1.example");
    protected static readonly CanonicalEntity E2 = Entity("e2.example");
    protected static readonly CanonicalEntity E3 = Entity("e3.example");

    protected IReputationStore Store { get; private set; } = null!;

    protected IPrincipalStore Principals { get; private set; } = null!;

    protected ITransparencyLogStore Log => Store as ITransparencyLogStore
        ?? throw new InvalidOperationException("the reputation store is not the transparency log store its writes append to");

    /// <summary>Opens the stores on this test's data; called again by reopening tests on the same data.</summary>
    protected abstract Task<(IReputationStore Store, IPrincipalStore Principals)> OpenAsync();

    public async Task InitializeAsync() => (Store, Principals) = await OpenAsync();

    public virtual Task DisposeAsync() => CloseAsync();

    protected async Task ReopenAsync()
    {
        await CloseAsync();
        (Store, Principals) = await OpenAsync();
    }

    private async Task CloseAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>An entity whose display value differs from its key, so a store that mixes them up is caught.</summary>
    protected static CanonicalEntity Entity(string key) => new(EntityType.Domain, key.ToUpperInvariant(), key);

    protected static ReportDraft Draft(CanonicalEntity entity, string reporter, double rating, DateTimeOffset at, string assertion = Spam,
        double confidence = 1, string? evidence = null, TimeSpan? lifetime = null, IReadOnlyList<string>? categories = null) =>
        ReportDraft.Create(entity, reporter, assertion, rating, confidence, categories ?? ["botnet"], evidence, at,
            at + (lifetime ?? TimeSpan.FromDays(90)), Interval);

    /// <summary>Stores the report, asserts it was accepted, and returns its id.</summary>
    protected async Task<long> ReportAsync(CanonicalEntity entity, string reporter, double rating, DateTimeOffset at, string assertion = Spam,
        double confidence = 1, string? evidence = null, TimeSpan? lifetime = null)
    {
        var outcome = await Store.ReportAsync(Draft(entity, reporter, rating, at, assertion, confidence, evidence, lifetime), DefaultTrust, HalfLife);
        Assert.Equal(ReportStatus.Done, outcome.Status);
        return outcome.LogIndex;
    }

    protected async Task<ReputationAggregate?> AggregateAsync(CanonicalEntity entity, string assertion = Spam) =>
        (await Store.GetAsync(entity)).Assertions.TryGetValue(assertion, out var aggregate) ? aggregate : null;

    /// <summary>The weight and weighted mean rating of <paramref name="reports"/>, each decayed from its own time to <paramref name="asOf"/>.</summary>
    protected static (long Count, double Weight, double Rating) FromScratch(IEnumerable<(double Weight, double Rating, DateTimeOffset At)> reports, DateTimeOffset asOf)
    {
        var list = reports.ToList();
        var weight = list.Sum(r => r.Weight * ReputationAggregate.Decay(r.At, asOf, HalfLife));
        var rated = list.Sum(r => r.Weight * r.Rating * ReputationAggregate.Decay(r.At, asOf, HalfLife));
        return (list.Count, weight, weight > 0 ? rated / weight : 0);
    }

    protected static void AssertMatches((long Count, double Weight, double Rating) expected, ReputationAggregate? actual, DateTimeOffset asOf, string what)
    {
        Assert.True(actual is not null, $"{what}: no aggregate");
        Assert.Equal(expected.Count, actual.Value.Count);
        AssertClose(expected.Weight, actual.Value.WeightAt(asOf, HalfLife), $"{what}: weight");
        AssertClose(expected.Rating, actual.Value.Rating, $"{what}: rating");
    }

    protected static void AssertClose(double expected, double actual, string what, double relative = 1e-9) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [SkippableFact]
    public async Task Reports_count_in_the_entity_aggregate_and_the_norm_with_an_exact_mean_at_equal_times()
    {
        var first = Draft(E1, "alice", 0.9, At, confidence: 1, evidence: "headers: ...", categories: ["botnet", "snowshoe"]);
        var second = Draft(E1, "bob", 0.2, At, confidence: 0.5);
        var a = await Store.ReportAsync(first, defaultTrust: 0.8, HalfLife);
        var b = await Store.ReportAsync(second, defaultTrust: 0.8, HalfLife);

        Assert.Equal((ReportStatus.Done, (long?)null), (a.Status, a.Superseded));
        Assert.Equal((ReportStatus.Done, (long?)null), (b.Status, b.Superseded));
        Assert.Equal(a.LogIndex + 1, b.LogIndex);
        var reputation = await Store.GetAsync(E1);
        Assert.Equal((EntityType.Domain, E1.Key, E1.Value, (AllowlistEntry?)null), (reputation.Type, reputation.Key, reputation.Value, reputation.Allowlisted));
        var spam = Assert.Single(reputation.Assertions);
        Assert.Equal(Spam, spam.Key);
        // Weights are default trust x confidence; at equal times nothing decays, so the mean is exact.
        Assert.Equal(2, spam.Value.Count);
        Assert.Equal(0.8 + 0.4, spam.Value.Weight);
        Assert.Equal((0.8 * 0.9 + 0.4 * 0.2) / (0.8 + 0.4), spam.Value.Rating);
        Assert.Equal(At, spam.Value.At);
        Assert.Equal(spam.Value, (await Store.GetNormsAsync())[Spam]);

        var other = await Store.GetAsync(E2);
        Assert.Empty(other.Assertions);
        Assert.Null(other.Allowlisted);

        var reports = await Store.GetReportsAsync(EntityType.Domain, E1.Key, 10);
        Assert.Equal([b.LogIndex, a.LogIndex], reports.Select(r => r.Id));
        var stored = reports[1];
        Assert.Equal((EntityType.Domain, E1.Key, E1.Value, "alice", Spam, 0.9, 1.0, 0.8), (stored.Type, stored.Key, stored.Value, stored.Reporter, stored.Assertion, stored.Rating, stored.Confidence, stored.Weight));
        Assert.Equal(["botnet", "snowshoe"], stored.Categories);
        Assert.Equal(("headers: ...", At, At.AddDays(90), (DateTimeOffset?)null), (stored.Evidence, stored.At, stored.Expires, stored.EndedAt));
        Assert.Equal(stored, await Store.GetReportAsync(a.LogIndex), StoredReportComparer.Instance);
        Assert.Equal(0.4, reports[0].Weight);
        Assert.Single(await Store.GetReportsAsync(EntityType.Domain, E1.Key, 1));
        Assert.Empty(await Store.GetReportsAsync(EntityType.Ip, E1.Key, 10));
        Assert.Null(await Store.GetReportAsync(b.LogIndex + 1));

        // The report is the leaf at its id.
        var leaf = await Log.ReadNodesAsync([new NodeId(0, a.LogIndex)]);
        Assert.Equal(first.Log.LeafAt(a.LogIndex).Hash(), leaf[new NodeId(0, a.LogIndex)]);
    }

    [SkippableFact]
    public async Task A_new_report_supersedes_the_reporters_counted_one_and_no_other()
    {
        var first = await ReportAsync(E1, "alice", 1, At);
        await ReportAsync(E1, "alice", 1, At.AddMinutes(1), Phishing);
        var bob = await ReportAsync(E1, "bob", 0.5, At.AddMinutes(2));

        var again = await Store.ReportAsync(Draft(E1, "alice", 0, At.AddHours(2)), DefaultTrust, HalfLife);

        Assert.Equal((ReportStatus.Done, first), (again.Status, again.Superseded));
        var asOf = At.AddHours(2);
        AssertMatches(FromScratch([(1, 0, At.AddHours(2)), (1, 0.5, At.AddMinutes(2))], asOf), await AggregateAsync(E1), asOf, "spam");
        AssertMatches(FromScratch([(1, 1, At.AddMinutes(1))], asOf), await AggregateAsync(E1, Phishing), asOf, "phishing");
        Assert.Equal(2, (await Store.GetNormsAsync())[Spam].Count);
        var counted = await Store.GetReportsAsync(EntityType.Domain, E1.Key, 10);
        Assert.Equal([again.LogIndex, bob, first + 1], counted.Select(r => r.Id));
        // The superseded report stays stored, ended when the new one was made.
        Assert.Equal(At.AddHours(2), (await Store.GetReportAsync(first))!.EndedAt);
    }

    [SkippableFact]
    public async Task A_report_within_the_interval_is_too_soon_and_changes_nothing()
    {
        var first = await ReportAsync(E1, "alice", 1, At);
        var size = await Log.GetTreeSizeAsync();
        var feed = await Store.GetChangesAsync(0, 100);
        var aggregate = await AggregateAsync(E1);

        var early = await Store.ReportAsync(Draft(E1, "alice", 0, At.AddMinutes(30)), DefaultTrust, HalfLife);

        Assert.Equal((ReportStatus.TooSoon, At + Interval), (early.Status, early.RetryAt));
        Assert.Equal(size, await Log.GetTreeSizeAsync());
        Assert.Equal(aggregate, await AggregateAsync(E1));
        Assert.Equal(feed.Select(c => c.Sequence), (await Store.GetChangesAsync(0, 100)).Select(c => c.Sequence));
        Assert.Single(await Store.GetReportsAsync(EntityType.Domain, E1.Key, 10));

        // Another reporter, another assertion or another entity is not held back; the interval's end is accepted.
        Assert.Equal(ReportStatus.Done, (await Store.ReportAsync(Draft(E1, "bob", 0, At.AddMinutes(30)), DefaultTrust, HalfLife)).Status);
        Assert.Equal(ReportStatus.Done, (await Store.ReportAsync(Draft(E1, "alice", 0, At.AddMinutes(30), Phishing), DefaultTrust, HalfLife)).Status);
        Assert.Equal(ReportStatus.Done, (await Store.ReportAsync(Draft(E2, "alice", 0, At.AddMinutes(30)), DefaultTrust, HalfLife)).Status);
        var onTime = await Store.ReportAsync(Draft(E1, "alice", 0, At + Interval), DefaultTrust, HalfLife);
        Assert.Equal((ReportStatus.Done, first), (onTime.Status, onTime.Superseded));

        // The interval runs from the latest report even once it no longer counts.
        Assert.Equal(ReportStatus.Done, (await Store.WithdrawAsync(new Withdrawal(onTime.LogIndex, "alice", "alice", At.AddMinutes(61)), HalfLife)).Status);
        var afterWithdrawal = await Store.ReportAsync(Draft(E1, "alice", 0, At.AddMinutes(62)), DefaultTrust, HalfLife);
        Assert.Equal((ReportStatus.TooSoon, At + Interval + Interval), (afterWithdrawal.Status, afterWithdrawal.RetryAt));
    }

    [SkippableFact]
    public async Task Concurrent_reports_are_all_counted_with_consecutive_ids()
    {
        var size = await Log.GetTreeSizeAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Store.ReportAsync(Draft(E1, $"r{i}", i % 2, At.AddMilliseconds(i)), DefaultTrust, HalfLife).AsTask()));

        Assert.All(outcomes, o => Assert.Equal(ReportStatus.Done, o.Status));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => size + i), outcomes.Select(o => o.LogIndex).Order());
        Assert.Equal(size + 40, await Log.GetTreeSizeAsync());
        Assert.Equal(40, (await AggregateAsync(E1))!.Value.Count);
        Assert.Equal(40, (await Store.GetNormsAsync())[Spam].Count);
        Assert.Single(await Store.GetChangesAsync(0, 100));
    }

    /// <summary>Compares reports field by field (their categories are lists, which records compare by reference).</summary>
    protected sealed class StoredReportComparer : IEqualityComparer<StoredReport?>
    {
        public static readonly StoredReportComparer Instance = new();
        private static readonly string[] NoCategories = [];

        public bool Equals(StoredReport? x, StoredReport? y) =>
            x is null || y is null
                ? x is null && y is null
                : x with { Categories = NoCategories } == y with { Categories = NoCategories } && x.Categories.SequenceEqual(y.Categories);

        public int GetHashCode(StoredReport? obj) => obj?.Id.GetHashCode() ?? 0;
    }
}
