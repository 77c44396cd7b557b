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
    private readonly PartitionedRateLimiter<IPAddress>? _perAddress;
    private readonly PartitionedRateLimiter<string>? _perPrincipal;
    private readonly PartitionedRateLimiter<IPAddress> _authFailures;
    private readonly int _authRetryAfterSeconds;

    public RequestLimiter(IOptions<RepSecOptions> options)
    {
        var limits = options.Value.RateLimits;
        _perAddress = TokenBuckets.PerKey<IPAddress>(limits.PerAddressPerSecond, limits.PerAddressBurst);
        _perPrincipal = TokenBuckets.PerKey<string>(limits.PerPrincipalPerSecond, limits.PerPrincipalBurst);

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

    public int? TryAcquireForAddress(IPAddress address) => TokenBuckets.TryAcquire(_perAddress, address);

    public int? TryAcquireForPrincipal(string principal) => TokenBuckets.TryAcquire(_perPrincipal, principal);

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
}
