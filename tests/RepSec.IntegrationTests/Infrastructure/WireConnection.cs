using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>A raw TLS line connection: bytes out, lines in. What openssl s_client does, in a test.</summary>
public sealed class WireConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly StreamReader _reader;

    private WireConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
        _reader = new StreamReader(tls, new UTF8Encoding(false), false, 4096, leaveOpen: true);
    }

    public SslStream Tls => _tls;

    public static async Task<WireConnection> OpenAsync(int port, string caPath, X509Certificate2? clientCertificate = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [new SslApplicationProtocol("repsec/1")],
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        });
        return new WireConnection(tcp, tls);
    }

    public async Task SendAsync(string text)
    {
        await _tls.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _tls.FlushAsync();
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _tls.WriteAsync(bytes);
        await _tls.FlushAsync();
    }

    /// <summary>The next response line, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public async Task<JsonElement> ReadJsonAsync()
    {
        var line = await ReadLineAsync() ?? throw new InvalidOperationException("connection closed");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Sends one line and reads its response.</summary>
    public async Task<JsonElement> RequestAsync(string line)
    {
        await SendAsync(line + "\n");
        return await ReadJsonAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }
}
