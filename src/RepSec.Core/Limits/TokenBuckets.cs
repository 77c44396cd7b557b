using System.Threading.RateLimiting;

namespace RepSec.Core.Limits;

/// <summary>The token buckets RepSec's and RDAP's limiters share: how they refill, and how a refusal becomes a wait.</summary>
public static class TokenBuckets
{
    // The partitioned limiter replenishes its buckets from one timer every 100 ms.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Refills every tick; a rate under one token per tick refills one token per 1/rate seconds instead.</summary>
    public static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(burst, 1),
        TokensPerPeriod = Math.Max(perSecond / 10, 1),
        ReplenishmentPeriod = perSecond >= 10 ? Tick : TimeSpan.FromSeconds(1.0 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    /// <summary>One bucket per key at <paramref name="perSecond"/>, or null when the rate is 0 (no limit).</summary>
    public static PartitionedRateLimiter<T>? PerKey<T>(int perSecond, int burst)
        where T : notnull
    {
        if (perSecond <= 0)
        {
            return null;
        }

        var bucket = Bucket(perSecond, burst);
        return PartitionedRateLimiter.Create<T, T>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>Null when permitted (or unlimited), else the whole seconds to wait, at least one.</summary>
    public static int? TryAcquire<T>(PartitionedRateLimiter<T>? limiter, T key)
    {
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }
}
