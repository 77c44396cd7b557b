using System.Net;
using System.Threading.RateLimiting;
using RepSec.Core.Limits;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap;

/// <summary>
/// RFC 7481 section 3.4 availability: token buckets per client, anonymous clients by address and authenticated
/// ones by principal with a larger quota. Returns null when permitted, else the seconds to wait.
/// </summary>
internal sealed class RdapRateLimiter(RdapOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _anonymous =
        TokenBuckets.PerKey<IPAddress>(options.RateLimits.AnonymousPerSecond, options.RateLimits.AnonymousBurst);

    private readonly PartitionedRateLimiter<string>? _authenticated =
        TokenBuckets.PerKey<string>(options.RateLimits.AuthenticatedPerSecond, options.RateLimits.AuthenticatedBurst);

    public int? TryAcquire(Principal principal, IPAddress address) =>
        principal.IsAnonymous ? TokenBuckets.TryAcquire(_anonymous, address) : TokenBuckets.TryAcquire(_authenticated, principal.Name);

    public void Dispose()
    {
        _anonymous?.Dispose();
        _authenticated?.Dispose();
    }
}
