using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace RepSec.Server.Tls;

/// <summary>
/// The TLS settings both ports share: TLS 1.2 and 1.3 only, forward-secret AEAD suites only (no NULL, export,
/// RC4, 3DES or CBC), no renegotiation, no session resumption. Client certificates are asked for but optional; they are mapped to
/// principals by fingerprint, not trusted by chain.
/// </summary>
internal static class TlsPolicy
{
    public static readonly SslApplicationProtocol RepSecAlpn = new("repsec/1");

    public static X509Certificate2 LoadCertificate(string certificatePath, string keyPath, out X509Certificate2Collection chain)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        chain = [];
        chain.ImportFromPemFile(certificatePath);
        return certificate;
    }

    public static SslServerAuthenticationOptions ServerOptions(X509Certificate2 certificate, X509Certificate2Collection chain, params SslApplicationProtocol[] alpn)
    {
        var intermediates = new X509Certificate2Collection();
        foreach (var candidate in chain)
        {
            if (candidate.Thumbprint != certificate.Thumbprint)
            {
                intermediates.Add(candidate);
            }
        }

        var options = new SslServerAuthenticationOptions
        {
            // Not offline: for a certificate that names an OCSP responder, .NET fetches and refreshes the OCSP response in
            // the background and staples it to every handshake. The development certificate names none, so it stays off the network.
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: false),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [.. alpn],
            ClientCertificateRequired = true,
            // Any certificate the client proves possession of is accepted here; only a registered fingerprint makes it a principal.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
            // No session tickets or resumption: every connection proves its client certificate afresh, so removing a
            // certificate's mapping takes effect on the next connection. (Clients keep connections open; a full
            // handshake per connection costs little.)
            AllowTlsResume = false,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy(
            [
                TlsCipherSuite.TLS_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            ]);
        }

        return options;
    }
}
