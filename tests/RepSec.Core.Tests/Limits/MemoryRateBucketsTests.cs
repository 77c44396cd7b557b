using RepSec.Core.Limits;

namespace RepSec.Core.Tests.Limits;

/// <summary>The in-process buckets enforce the configured rate itself, as Redis's GCRA does for a cluster.</summary>
public sealed class MemoryRateBucketsTests
{
    [Theory]
    [InlineData(15)]
    [InlineData(25)]
    [InlineData(3)]
    public async Task A_rate_that_is_not_a_multiple_of_ten_refills_at_exactly_that_rate(int perSecond)
    {
        using var buckets = new MemoryRateBuckets();
        var rule = new BucketRule("rate", PerSecond: perSecond, Burst: perSecond);
        Assert.Equal(perSecond, await TakeAll(buckets, rule));

        // Empty now; 1.1 s refills the whole burst at the configured rate (1.1 x rate > burst), and would leave it
        // short at any lower rate rounded to a multiple of ten, or to a whole rate per 100 ms.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));

        Assert.Equal(perSecond, await TakeAll(buckets, rule));
    }

    private static async Task<int> TakeAll(MemoryRateBuckets buckets, BucketRule rule)
    {
        var taken = 0;
        while (await buckets.TakeAsync(rule, "k") is null)
        {
            taken++;
        }

        return taken;
    }
}
