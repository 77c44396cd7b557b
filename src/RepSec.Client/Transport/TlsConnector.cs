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

    /// <summary>
    /// Why a handshake failed, in words: the innermost reason rather than "see inner exception", and for a server
    /// that offered no RepSec protocol in ALPN (an HTTPS port such as RDAP's), that it is not a RepSec port.
    /// </summary>
    internal static string HandshakeFailure(Exception exception)
    {
        var reasons = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (!current.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase) && !reasons.Contains(current.Message))
            {
                reasons.Add(current.Message);
            }
        }

        if (reasons.Any(r => r.Contains("no application protocol", StringComparison.OrdinalIgnoreCase)))
        {
            return $"TLS handshake failed: the server does not speak RepSec (it accepts no '{Alpn}' connection; is this an HTTPS port such as RDAP's? RepSec's default port is 4655)";
        }

        // SslStream's words when the first bytes back are not a TLS record: the port speaks something in plain text.
        if (reasons.Any(r => r.Contains("frame size", StringComparison.OrdinalIgnoreCase) || r.Contains("corrupted frame", StringComparison.OrdinalIgnoreCase)))
        {
            return "TLS handshake failed: the server answered in plain text, not TLS (is this an HTTP or other unencrypted port? RepSec's default port is 4655)";
        }

        return "TLS handshake failed: " + (reasons.Count == 0 ? exception.Message : string.Join(": ", reasons));
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
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
            {
                throw new RepSecConnectionException($"{exception.Message} (nothing listens on port {port}: is repsecd running, and is {port} its RepSec port?)", exception);
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
                throw new RepSecConnectionException(HandshakeFailure(exception), exception);
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
