using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace RepSec.Core.Limits;

/// <summary>
/// Per-address and per-principal token buckets, and the authentication-failure throttle. Each check returns
/// null when permitted or the seconds to wait.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    // The partitioned limiter replenishes its buckets from one timer every 100 ms.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly PartitionedRateLimiter<IPAddress>? _perAddress;
    private readonly PartitionedRateLimiter<string>? _perPrincipal;
    private readonly PartitionedRateLimiter<IPAddress> _authFailures;
    private readonly int _authRetryAfterSeconds;

    public RequestLimiter(IOptions<RepSecOptions> options)
    {
        var limits = options.Value.RateLimits;
        if (limits.PerAddressPerSecond > 0)
        {
            var bucket = Bucket(limits.PerAddressPerSecond, limits.PerAddressBurst);
            _perAddress = PartitionedRateLimiter.Create<IPAddress, IPAddress>(a => RateLimitPartition.GetTokenBucketLimiter(a, _ => bucket));
        }

        if (limits.PerPrincipalPerSecond > 0)
        {
            var bucket = Bucket(limits.PerPrincipalPerSecond, limits.PerPrincipalBurst);
            _perPrincipal = PartitionedRateLimiter.Create<string, string>(p => RateLimitPartition.GetTokenBucketLimiter(p, _ => bucket));
        }

        var refill = TimeSpan.FromSeconds(60.0 / limits.AuthFailuresPerMinute);
        _authRetryAfterSeconds = (int)Math.Ceiling(refill.TotalSeconds);
        var failures = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.AuthFailuresPerMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        _authFailures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(a => RateLimitPartition.GetTokenBucketLimiter(a, _ => failures));
    }

    public int? TryAcquireForAddress(IPAddress address) => TryAcquire(_perAddress, address);

    public int? TryAcquireForPrincipal(string principal) => TryAcquire(_perPrincipal, principal);

    /// <summary>Seconds to wait when the address has used up its failed authentications, else null.</summary>
    public int? AuthenticationThrottled(IPAddress address) =>
        _authFailures.GetStatistics(address)?.CurrentAvailablePermits > 0 ? null : _authRetryAfterSeconds;

    public void RecordAuthenticationFailure(IPAddress address)
    {
        using var lease = _authFailures.AttemptAcquire(address);
    }

    public void Dispose()
    {
        _perAddress?.Dispose();
        _perPrincipal?.Dispose();
        _authFailures.Dispose();
    }

    /// <summary>Refills every tick; a rate under one token per tick refills one token per 1/rate seconds instead.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(burst, 1),
        TokensPerPeriod = Math.Max(perSecond / 10, 1),
        ReplenishmentPeriod = perSecond >= 10 ? Tick : TimeSpan.FromSeconds(1.0 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    private static int? TryAcquire<T>(PartitionedRateLimiter<T>? limiter, T key)
    {
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }
}
