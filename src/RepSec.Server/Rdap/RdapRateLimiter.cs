using System.Net;
using RepSec.Core.Limits;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap;

/// <summary>
/// RFC 7481 section 3.4 availability: token buckets per client, anonymous clients by address and authenticated
/// ones by principal with a larger quota. Returns null when permitted, else the seconds to wait.
/// </summary>
internal sealed class RdapRateLimiter(IRateBuckets buckets, RdapOptions options)
{
    private readonly BucketRule? _anonymous =
        RequestLimiter.Rule("rdap_anonymous", options.RateLimits.AnonymousPerSecond, options.RateLimits.AnonymousBurst);

    private readonly BucketRule? _authenticated =
        RequestLimiter.Rule("rdap_principal", options.RateLimits.AuthenticatedPerSecond, options.RateLimits.AuthenticatedBurst);

    public ValueTask<int?> TryAcquireAsync(Principal principal, IPAddress address, CancellationToken cancellationToken) =>
        principal.IsAnonymous
            ? _anonymous is null ? default : buckets.TakeAsync(_anonymous, address, cancellationToken)
            : _authenticated is null ? default : buckets.TakeAsync(_authenticated, principal.Name, cancellationToken);
}
