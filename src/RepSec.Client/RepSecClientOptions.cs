using System.Security.Cryptography.X509Certificates;

namespace RepSec.Client;

/// <summary>How a <see cref="RepSecClient"/> connects and authenticates.</summary>
public sealed class RepSecClientOptions
{
    /// <summary>
    /// A PEM file holding the CA certificate(s) to trust for the server's certificate. When set, the server chain
    /// must end in one of these certificates (custom root trust) instead of the system trust store.
    /// </summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Skips validation of the server's certificate entirely. For development only.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// The bearer token sent as <c>auth</c> on REGISTER, REMOVE, AUDIT and the reputation commands, and on
    /// <see cref="RepSecClient.SendAsync"/> requests that carry no <c>auth</c> of their own.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>A certificate with its private key, presented to the server for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The TLS server name (SNI and the name the certificate must match); defaults to the host connected to.</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// How long one request may take, from queuing to its response; also bounds connecting and the TLS handshake.
    /// Defaults to 30 seconds; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for request timestamps and timeouts; defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
