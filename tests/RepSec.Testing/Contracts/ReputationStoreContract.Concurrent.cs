using RepSec.Core.Reputation;

namespace RepSec.Testing.Contracts;

// Many reports at once: stores may batch them into one transaction, and must still decide each as if alone.
public abstract partial class ReputationStoreContract
{
    [SkippableFact]
    public async Task Reports_arriving_together_are_each_decided_as_if_alone()
    {
        var before = await Log.GetTreeSizeAsync();
        // 40 reporters each report three entities at once, then each repeats one of them within the interval.
        var first = await Task.WhenAll(Enumerable.Range(0, 40).SelectMany(r => new[] { E1, E2, E3 }.Select(e =>
            Store.ReportAsync(Draft(e, $"r{r}", (r % 4) / 4.0, At.AddMilliseconds(r)), DefaultTrust, HalfLife).AsTask())));
        var repeats = await Task.WhenAll(Enumerable.Range(0, 40).Select(r =>
            Store.ReportAsync(Draft(E1, $"r{r}", 1, At.AddMinutes(5)), DefaultTrust, HalfLife).AsTask()));

        Assert.All(first, o => Assert.Equal(ReportStatus.Done, o.Status));
        Assert.Equal(120, first.Select(o => o.LogIndex).Distinct().Count());
        Assert.All(repeats, o =>
        {
            Assert.Equal(ReportStatus.TooSoon, o.Status);
            Assert.True(o.RetryAt >= At + Interval);
        });
        Assert.Equal(before + 120, await Log.GetTreeSizeAsync());
        foreach (var entity in new[] { E1, E2, E3 })
        {
            var aggregate = (await AggregateAsync(entity))!.Value;
            var expected = FromScratch(Enumerable.Range(0, 40).Select(r => (1.0, (r % 4) / 4.0, At.AddMilliseconds(r))), aggregate.At);
            Assert.Equal(40, aggregate.Count);
            Assert.Equal(expected.Rating, aggregate.Rating, 1e-9);
        }
    }

    [SkippableFact]
    public async Task A_reporters_reports_arriving_together_supersede_each_other_in_order_when_the_interval_allows()
    {
        // With no interval, ten reports of one voice arriving at once leave exactly one counted, each other one
        // superseded by the next stored.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Store.ReportAsync(Draft(E2, "solo", i / 10.0, At.AddSeconds(i)) with { Interval = TimeSpan.Zero }, DefaultTrust, HalfLife).AsTask()));

        Assert.All(outcomes, o => Assert.Equal(ReportStatus.Done, o.Status));
        Assert.Equal(9, outcomes.Count(o => o.Superseded is not null));
        Assert.Equal(9, outcomes.Where(o => o.Superseded is not null).Select(o => o.Superseded).Distinct().Count());
        var aggregate = (await AggregateAsync(E2))!.Value;
        Assert.Equal(1, aggregate.Count);
        var counted = Assert.Single(await Store.GetReportsAsync(E2.Type, E2.Key, 100));
        Assert.Equal(outcomes.Single(o => outcomes.All(other => other.Superseded != o.LogIndex)).LogIndex, counted.Id);
        Assert.Equal(counted.Rating, aggregate.Rating, 1e-12);
    }
}
