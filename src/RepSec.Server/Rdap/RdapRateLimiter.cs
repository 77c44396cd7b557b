using System.Net;
using System.Threading.RateLimiting;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap;

/// <summary>
/// RFC 7481 section 3.4 availability: token buckets per client, anonymous clients by address and authenticated
/// ones by principal with a larger quota. Returns null when permitted, else the seconds to wait.
/// </summary>
internal sealed class RdapRateLimiter : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly PartitionedRateLimiter<IPAddress>? _anonymous;
    private readonly PartitionedRateLimiter<string>? _authenticated;

    public RdapRateLimiter(RdapOptions options)
    {
        var limits = options.RateLimits;
        if (limits.AnonymousPerSecond > 0)
        {
            var bucket = Bucket(limits.AnonymousPerSecond, limits.AnonymousBurst);
            _anonymous = PartitionedRateLimiter.Create<IPAddress, IPAddress>(a => RateLimitPartition.GetTokenBucketLimiter(a, _ => bucket));
        }

        if (limits.AuthenticatedPerSecond > 0)
        {
            var bucket = Bucket(limits.AuthenticatedPerSecond, limits.AuthenticatedBurst);
            _authenticated = PartitionedRateLimiter.Create<string, string>(p => RateLimitPartition.GetTokenBucketLimiter(p, _ => bucket));
        }
    }

    public int? TryAcquire(Principal principal, IPAddress address) =>
        principal.IsAnonymous ? TryAcquire(_anonymous, address) : TryAcquire(_authenticated, principal.Name);

    public void Dispose()
    {
        _anonymous?.Dispose();
        _authenticated?.Dispose();
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
        where T : notnull
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
