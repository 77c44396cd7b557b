using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RepSec.Attack;

/// <summary>Connections from a chosen source address, TLS trusting the server's CA, and raw HTTP/1.1 exchanges.</summary>
internal sealed class Net(AttackSettings settings)
{
    public static readonly SslApplicationProtocol RepSecAlpn = new("repsec/1");

    private readonly X509Certificate2Collection _authorities = LoadAuthorities(settings.CaPath);

    public AttackSettings Settings => settings;

    public async Task<Socket> ConnectAsync(IPAddress source, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(settings.Server, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<SslStream> TlsAsync(IPAddress source, int port, SslApplicationProtocol protocol, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(source, port, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(ClientOptions(protocol), cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    public SslClientAuthenticationOptions ClientOptions(SslApplicationProtocol? protocol)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(_authorities);
        return new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            CertificateChainPolicy = policy,
            ApplicationProtocols = protocol is { } one ? [one] : null,
        };
    }

    /// <summary>An RDAP client from <paramref name="source"/> (HTTP/1.1, connections kept alive).</summary>
    public HttpClient Http(IPAddress source) => new(new SocketsHttpHandler
    {
        SslOptions = ClientOptions(null),
        ConnectCallback = async (context, cancellationToken) =>
            new NetworkStream(await ConnectAsync(source, context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = new Uri($"https://{settings.Host}:{settings.RdapPort}/rdap/"),
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>One HTTP/1.1 request written byte for byte on a fresh TLS connection; the status, or 0 when closed without one.</summary>
    public async Task<int> RawHttpAsync(IPAddress source, string method, string target, string headers, CancellationToken cancellationToken)
    {
        await using var tls = await TlsAsync(source, settings.RdapPort, SslApplicationProtocol.Http11, cancellationToken);
        var request = Encoding.UTF8.GetBytes($"{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        try
        {
            await tls.WriteAsync(request, cancellationToken);
        }
        catch (IOException)
        {
            // answered and closed before taking it all
        }

        var buffer = new byte[12];
        var read = 0;
        try
        {
            while (read < buffer.Length && await tls.ReadAsync(buffer.AsMemory(read), cancellationToken) is > 0 and var n)
            {
                read += n;
            }
        }
        catch (IOException)
        {
        }

        return read == buffer.Length && int.TryParse(Encoding.ASCII.GetString(buffer, 9, 3), out var status) ? status : 0;
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities;
    }
}
