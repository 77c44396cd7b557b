using System.Security.Cryptography.X509Certificates;

namespace RepSec.Core.Security;

/// <summary>
/// Who a request acts as: resolves bearer tokens and client certificates to principals. The default is
/// <see cref="Authenticator"/> (the principal store, cached for a second); register another before
/// <c>AddRepSecCore</c> to replace it, as with the other extension points.
/// </summary>
public interface IAuthenticator
{
    /// <summary>The principal for a presented token, or null when it is unknown, malformed or revoked.</summary>
    ValueTask<Principal?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>The principal mapped to a client certificate, or null.</summary>
    ValueTask<Principal?> AuthenticateCertificateAsync(X509Certificate2 certificate, CancellationToken cancellationToken);

    /// <summary>Drops what is cached for a token, so its revocation by another process applies at once.</summary>
    void ForgetToken(string tokenId);

    /// <summary>Drops what is cached for a certificate fingerprint (see <see cref="ForgetToken"/>).</summary>
    void ForgetCertificate(string fingerprint);
}
