using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RepSec.Client.Transport;

/// <summary>Opens the TCP connection and runs the TLS handshake the RepSec profile asks for.</summary>
internal static class TlsConnector
{
    public static readonly SslApplicationProtocol Alpn = new("repsec/1");

    /// <summary>Builds the handshake options; reads the CA file, so a bad file fails before any connection.</summary>
    public static SslClientAuthenticationOptions CreateAuthenticationOptions(string host, RepSecClientOptions options)
    {
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = options.ServerName ?? host,
            ApplicationProtocols = [Alpn],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (options.Insecure)
        {
            authentication.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.CaCertificatePath is { } caPath)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caPath);
            if (authorities.Count == 0)
            {
                throw new CryptographicException($"No certificate found in {caPath}");
            }

            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            authentication.CertificateChainPolicy = policy;
        }

        if (options.ClientCertificate is { } certificate)
        {
            // A certificate context is sent whatever CA names the server lists in its certificate request.
            authentication.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true);
        }

        return authentication;
    }

    public static async Task<SslStream> ConnectAsync(
        string host, int port, SslClientAuthenticationOptions authentication, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? tls = null;
        try
        {
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken);
            }
            catch (SocketException exception)
            {
                throw new RepSecConnectionException(exception.Message, exception);
            }

            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(authentication, cancellationToken);
            }
            catch (Exception exception) when (exception is AuthenticationException or IOException)
            {
                throw new RepSecConnectionException($"TLS handshake failed: {exception.Message}", exception);
            }

            return tls;
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }

            socket.Dispose();
            throw;
        }
    }
}
