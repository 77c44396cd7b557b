using System.Text;
using RepSec.Server.Rdap.Queries;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>How a request authenticated, or why it did not.</summary>
internal readonly record struct RdapIdentity(Principal Principal, string Method, RdapAuthFailure Failure)
{
    public static RdapIdentity Anonymous { get; } = new(Principal.Anonymous, "anonymous", RdapAuthFailure.None);

    public static RdapIdentity Failed(RdapAuthFailure failure) => new(Principal.Anonymous, "", failure);
}

internal enum RdapAuthFailure
{
    None,
    /// <summary>Credentials were presented and are wrong: 401, and it counts towards the failure throttle.</summary>
    Invalid,
    /// <summary>A Digest nonce expired: 401 with <c>stale=true</c>, not a failure.</summary>
    StaleNonce,
    /// <summary>This address already has a password check running: 429, try again shortly.</summary>
    Busy,
}

/// <summary>
/// RFC 7481 section 3.2: HTTP Basic (RFC 7617), HTTP Digest (RFC 7616), bearer tokens (RepSec tokens, or JWTs from
/// configured OpenID Connect issuers), and TLS client certificates. One identity store for RepSec and RDAP: the
/// same principals, roles and tokens.
/// </summary>
internal sealed class RdapAuthenticator(
    IAuthenticator tokens,
    PasswordCredentials passwords,
    DigestAuthentication digest,
    FederatedAuthenticator federated,
    RdapOptions options)
{
    private const int MaxHeaderLength = 8192;

    public IReadOnlyList<string> Methods { get; } =
        [.. (string[])["Basic", "Digest (SHA-256, MD5)", "Bearer (RepSec tokens)", "TLS client certificates"],
            .. federated.IsEnabled ? ["Bearer (OpenID Connect JWTs)"] : Array.Empty<string>()];

    /// <summary>The challenges a 401 carries: Digest (SHA-256, then MD5), Basic and Bearer.</summary>
    public IEnumerable<string> Challenges(bool stale) =>
        [.. digest.Challenges(stale), $"Basic realm=\"{options.Realm}\", charset=\"UTF-8\"", $"Bearer realm=\"{options.Realm}\""];

    public async ValueTask<RdapIdentity> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var headers = context.Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return await FromCertificateAsync(context, cancellationToken);
        }

        if (headers.Count > 1 || headers[0] is not { Length: > 0 and <= MaxHeaderLength } header)
        {
            return RdapIdentity.Failed(RdapAuthFailure.Invalid);
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var parameters = space < 0 ? "" : header[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return await BasicAsync(parameters, context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None, cancellationToken);
        }

        if (scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return await DigestAsync(context, parameters, cancellationToken);
        }

        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return await BearerAsync(parameters, cancellationToken);
        }

        return RdapIdentity.Failed(RdapAuthFailure.Invalid);
    }

    private async ValueTask<RdapIdentity> FromCertificateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is not null && await tokens.AuthenticateCertificateAsync(certificate, cancellationToken) is { } principal)
        {
            return new RdapIdentity(principal, "certificate", RdapAuthFailure.None);
        }

        return RdapIdentity.Anonymous;
    }

    private async ValueTask<RdapIdentity> BasicAsync(string parameters, System.Net.IPAddress address, CancellationToken cancellationToken)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameters));
        }
        catch (FormatException)
        {
            return RdapIdentity.Failed(RdapAuthFailure.Invalid);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return RdapIdentity.Failed(RdapAuthFailure.Invalid);
        }

        var (principal, busy) = await passwords.VerifyBasicAsync(decoded[..colon], decoded[(colon + 1)..], address, cancellationToken);
        return busy ? RdapIdentity.Failed(RdapAuthFailure.Busy)
            : principal is null ? RdapIdentity.Failed(RdapAuthFailure.Invalid)
            : new RdapIdentity(principal, "basic", RdapAuthFailure.None);
    }

    private async ValueTask<RdapIdentity> DigestAsync(HttpContext context, string parameters, CancellationToken cancellationToken)
    {
        if (!DigestAuthentication.TryParse(parameters, out var credentials, out _))
        {
            return RdapIdentity.Failed(RdapAuthFailure.Invalid);
        }

        var (principal, credential) = await passwords.FindAsync(credentials.Username, cancellationToken);
        var secret = credential is null || credential.Realm != options.Realm ? null
            : DigestAuthentication.SecretAlgorithm(credentials.Algorithm) == DigestAlgorithm.Md5 ? credential.DigestMd5 : credential.DigestSha256;
        var target = RequestTarget.Of(context);
        return digest.Verify(credentials, context.Request.Method, target, secret) switch
        {
            DigestOutcome.Valid when principal is not null => new RdapIdentity(principal, "digest", RdapAuthFailure.None),
            DigestOutcome.Stale => RdapIdentity.Failed(RdapAuthFailure.StaleNonce),
            _ => RdapIdentity.Failed(RdapAuthFailure.Invalid),
        };
    }

    private async ValueTask<RdapIdentity> BearerAsync(string token, CancellationToken cancellationToken)
    {
        if (BearerToken.TryParse(token, out _, out _))
        {
            var principal = await tokens.AuthenticateTokenAsync(token, cancellationToken);
            return principal is null ? RdapIdentity.Failed(RdapAuthFailure.Invalid) : new RdapIdentity(principal, "token", RdapAuthFailure.None);
        }

        if (federated.IsEnabled)
        {
            var result = await federated.AuthenticateAsync(token, cancellationToken);
            if (result.Principal is { } principal)
            {
                return new RdapIdentity(principal, "jwt", RdapAuthFailure.None);
            }
        }

        return RdapIdentity.Failed(RdapAuthFailure.Invalid);
    }
}
