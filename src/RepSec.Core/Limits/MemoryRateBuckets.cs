using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace RepSec.Core.Limits;

/// <summary>Token buckets in this process (System.Threading.RateLimiting), one partitioned limiter per rule.</summary>
public sealed class MemoryRateBuckets : IRateBuckets, IDisposable
{
    private readonly ConcurrentDictionary<BucketRule, IDisposable> _limiters = new();

    public ValueTask<int?> TakeAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull =>
        ValueTask.FromResult(TokenBuckets.TryAcquire(Limiter<TKey>(rule), key));

    public ValueTask<int?> PeekAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull
    {
        var available = Limiter<TKey>(rule).GetStatistics(key)?.CurrentAvailablePermits ?? rule.Burst;
        return ValueTask.FromResult<int?>(available > 0 ? null : TokenBuckets.SecondsPerToken(rule));
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private PartitionedRateLimiter<TKey> Limiter<TKey>(BucketRule rule)
        where TKey : notnull
    {
        if (_limiters.TryGetValue(rule, out var found))
        {
            return (PartitionedRateLimiter<TKey>)found;
        }

        var bucket = TokenBuckets.Bucket(rule.PerSecond, rule.Burst);
        var created = PartitionedRateLimiter.Create<TKey, TKey>(k => RateLimitPartition.GetTokenBucketLimiter(k, _ => bucket));
        var stored = _limiters.GetOrAdd(rule, created);
        if (!ReferenceEquals(stored, created))
        {
            created.Dispose();
        }

        return (PartitionedRateLimiter<TKey>)stored;
    }
}
