using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>A GET sent byte for byte over TLS to a server's HTTPS listener (HttpClient would normalize the target).</summary>
public static class RawHttps
{
    /// <summary>Sends <paramref name="target"/> as is over HTTP/1.1 and reads the whole answer (the server closes after it).</summary>
    public static async Task<(int Status, string Headers, string Body)> GetAsync(TestServer server, string target, string host = "127.0.0.1")
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, server.RdapPort);
        await using var tls = new SslStream(socket.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            CertificateChainPolicy = DevelopmentTrust.Policy(server.CaPath),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var memory = new MemoryStream();
        await tls.CopyToAsync(memory);
        var text = Encoding.UTF8.GetString(memory.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        return (status, text[..split], text[(split + 4)..]);
    }
}
