using RepSec.Core.Limits;

namespace RepSec.Core.Tests.Limits;

/// <summary>The in-process buckets enforce the configured rate itself, as Redis's GCRA does for a cluster.</summary>
public sealed class MemoryRateBucketsTests
{
    [Theory]
    [InlineData(15)]
    [InlineData(25)]
    [InlineData(3)]
    [InlineData(0.5)]
    [InlineData(2.5)]
    [InlineData(10_000_000)]
    public void A_bucket_fills_at_exactly_the_configured_rate(double perSecond)
    {
        var bucket = TokenBuckets.Bucket(perSecond, burst: 10);

        // A bucket that is not auto-replenished accrues TokensPerPeriod per ReplenishmentPeriod, fractions included.
        Assert.False(bucket.AutoReplenishment);
        Assert.Equal(perSecond, bucket.TokensPerPeriod / bucket.ReplenishmentPeriod.TotalSeconds, 6);
    }

    [Fact]
    public async Task Fifteen_a_second_refills_fifteen_a_second_not_ten()
    {
        using var buckets = new MemoryRateBuckets();
        var rule = new BucketRule("rate", PerSecond: 15, Burst: 30);
        Assert.Equal(30, await TakeAll(buckets, rule));

        await Task.Delay(TimeSpan.FromSeconds(2));

        // 30 at 15/s; the limiter refills on a 100 ms timer, which a busy machine may run late. Ten a second gives 20.
        Assert.InRange(await TakeAll(buckets, rule), 24, 31);
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
