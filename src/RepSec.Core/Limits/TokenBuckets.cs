using System.Threading.RateLimiting;

namespace RepSec.Core.Limits;

/// <summary>How the in-process token buckets refill, and how a refusal becomes a wait.</summary>
public static class TokenBuckets
{
    // The partitioned limiter replenishes its buckets from one timer every 100 ms.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Refills every tick; a rate under ten tokens a second refills one token per 1/rate seconds instead.</summary>
    public static TokenBucketRateLimiterOptions Bucket(double perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(burst, 1),
        TokensPerPeriod = perSecond >= 10 ? (int)(perSecond / 10) : 1,
        ReplenishmentPeriod = perSecond >= 10 ? Tick : TimeSpan.FromSeconds(1.0 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    /// <summary>The whole seconds one token takes to come back, at least one.</summary>
    public static int SecondsPerToken(BucketRule rule) => Math.Max(1, (int)Math.Ceiling(1.0 / rule.PerSecond));

    /// <summary>Null when permitted, else the whole seconds to wait, at least one.</summary>
    public static int? TryAcquire<T>(PartitionedRateLimiter<T> limiter, T key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }
}
