using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Connections from another loopback address. Linux routes all of 127/8 to the loopback interface, so binding the
/// local end to 127.0.0.N gives an attacker its own client address, distinct from the good client on 127.0.0.1,
/// as it would be in reality: the per-address caps and limits see two clients.
/// </summary>
internal static class Attacker
{
    public static IPAddress Address(int last) => new([127, 0, 0, (byte)last]);

    public static async Task<Socket> ConnectAsync(IPAddress source, int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connection, or null when the server refused it so fast that the connect itself was reset.</summary>
    public static async Task<Socket?> TryConnectAsync(IPAddress source, int port)
    {
        try
        {
            return await ConnectAsync(source, port);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>A completed TLS handshake from <paramref name="source"/>, trusting the test server's CA.</summary>
    public static async Task<SslStream> TlsAsync(IPAddress source, int port, string caPath, SslApplicationProtocol protocol, CancellationToken cancellationToken = default)
    {
        var socket = await ConnectAsync(source, port, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(ClientOptions(caPath, protocol), cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    public static SslClientAuthenticationOptions ClientOptions(string caPath, SslApplicationProtocol protocol)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(authorities);
        return new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = policy, ApplicationProtocols = [protocol] };
    }

    /// <summary>An RDAP HttpClient whose connections come from <paramref name="source"/>.</summary>
    public static HttpClient Http(TestServer server, IPAddress source, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = ClientOptions(server.CaPath, SslApplicationProtocol.Http11),
            ConnectCallback = async (context, cancellationToken) =>
                new NetworkStream(await ConnectAsync(source, context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
        };
        handler.SslOptions.ApplicationProtocols = null;
        return new HttpClient(handler)
        {
            BaseAddress = server.RdapBase,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>
    /// Reads (discarding) until the server ends the connection; true when it did within <paramref name="timeout"/>.
    /// A reset counts as closed.
    /// </summary>
    public static async Task<bool> ClosedWithinAsync(Stream stream, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
