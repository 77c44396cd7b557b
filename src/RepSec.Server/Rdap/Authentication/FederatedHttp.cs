using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>The HTTP client that fetches an issuer's metadata and keys.</summary>
internal static class FederatedHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // Discovery documents and key sets are a few kilobytes; a hostile or broken endpoint must not fill memory.
    private const int MaxDocumentBytes = 1024 * 1024;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <param name="trustedCas">Extra trust roots, used only when the system store does not vouch for the server; the caller disposes them.</param>
    public static HttpClient Create(X509Certificate2Collection? trustedCas)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Timeout,
            // The addresses are configured or come from the discovery document; following redirects would let
            // whoever answers there send the fetch elsewhere.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            UseCookies = false,
        };
        if (trustedCas is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback =
                (_, certificate, chain, errors) => IsTrusted(certificate, chain, errors, trustedCas);
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout, MaxResponseContentBufferSize = MaxDocumentBytes };
    }

    /// <summary>
    /// Accepts what the system store accepts, else a chain that ends at one of <paramref name="trustedCas"/>. The host
    /// name must match either way, and private CAs are not checked for revocation (they rarely publish CRLs).
    /// </summary>
    internal static bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection trustedCas)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            // The intermediates the server sent.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(copy);
    }
}
