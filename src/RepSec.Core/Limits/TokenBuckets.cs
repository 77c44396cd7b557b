using System.Threading.RateLimiting;

namespace RepSec.Core.Limits;

/// <summary>How the in-process token buckets refill, and how a refusal becomes a wait.</summary>
public static class TokenBuckets
{
    /// <summary>
    /// Refills at exactly <paramref name="perSecond"/>, as Redis's GCRA does for a cluster. The partitioned limiter
    /// replenishes its buckets from one timer every 100 ms, and a bucket that is not auto-replenished adds what
    /// accrued since its last refill, fractions included, at TokensPerPeriod / ReplenishmentPeriod: a whole rate
    /// is that many tokens a second, any other one token per 1/rate seconds.
    /// </summary>
    public static TokenBucketRateLimiterOptions Bucket(double perSecond, int burst)
    {
        var whole = perSecond >= 1 && perSecond <= int.MaxValue && perSecond == Math.Floor(perSecond);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, 1),
            TokensPerPeriod = whole ? (int)perSecond : 1,
            ReplenishmentPeriod = whole ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1.0 / perSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

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
