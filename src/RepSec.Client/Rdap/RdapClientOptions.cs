using System.Security.Cryptography.X509Certificates;

namespace RepSec.Client.Rdap;

/// <summary>How an <see cref="RdapClient"/> connects and identifies itself (RFC 7481 section 3.2).</summary>
public sealed class RdapClientOptions
{
    /// <summary>A PEM file with the CA certificate(s) to trust for the server (custom root trust instead of the system store).</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Skips validation of the server's certificate entirely. For development only.</summary>
    public bool Insecure { get; init; }

    /// <summary>User name for HTTP Basic or Digest (the principal's name).</summary>
    public string? UserName { get; init; }

    /// <summary>Password for HTTP Basic or Digest.</summary>
    public string? Password { get; init; }

    /// <summary>Use HTTP Digest (RFC 7616) instead of Basic for <see cref="UserName"/> and <see cref="Password"/>.</summary>
    public bool Digest { get; init; }

    /// <summary>A bearer token: a RepSec token, or a JWT from an issuer the server trusts.</summary>
    public string? BearerToken { get; init; }

    /// <summary>A certificate with its private key, presented for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Ask for signed responses (RFC 9421) and verify them against the server's published key.</summary>
    public bool VerifySignatures { get; init; }

    /// <summary>How long one request may take. Defaults to 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
