using System.Net;
using Microsoft.Extensions.Options;

namespace RepSec.Core.Limits;

/// <summary>
/// RepSec's rate limits: per-address and per-principal token buckets, and the authentication-failure throttle
/// (RDAP shares it). Each check returns null when permitted or the seconds to wait. The buckets live where
/// <see cref="IRateBuckets"/> keeps them: in this process, or shared by a cluster's nodes.
/// </summary>
public sealed class RequestLimiter(IRateBuckets buckets, IOptions<RepSecOptions> options)
{
    private readonly BucketRule? _perAddress = Rule("address", options.Value.RateLimits.PerAddressPerSecond, options.Value.RateLimits.PerAddressBurst);
    private readonly BucketRule? _perPrincipal = Rule("principal", options.Value.RateLimits.PerPrincipalPerSecond, options.Value.RateLimits.PerPrincipalBurst);
    private readonly BucketRule _authFailures = new("auth_failures", options.Value.RateLimits.AuthFailuresPerMinute / 60.0, options.Value.RateLimits.AuthFailuresPerMinute);

    public ValueTask<int?> TryAcquireForAddressAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        _perAddress is null ? default : buckets.TakeAsync(_perAddress, address, cancellationToken);

    public ValueTask<int?> TryAcquireForPrincipalAsync(string principal, CancellationToken cancellationToken = default) =>
        _perPrincipal is null ? default : buckets.TakeAsync(_perPrincipal, principal, cancellationToken);

    /// <summary>Seconds to wait when the address has used up its failed authentications, else null.</summary>
    public ValueTask<int?> AuthenticationThrottledAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        buckets.PeekAsync(_authFailures, address, cancellationToken);

    public async ValueTask RecordAuthenticationFailureAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        await buckets.TakeAsync(_authFailures, address, cancellationToken);

    /// <summary>A rule at <paramref name="perSecond"/>, or null when the rate is 0 (no limit).</summary>
    public static BucketRule? Rule(string name, int perSecond, int burst) => perSecond <= 0 ? null : new BucketRule(name, perSecond, burst);
}
