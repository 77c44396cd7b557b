using System.Net.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>HTTP Strict Transport Security (RFC 6797) on the RDAP port, kept away from development hosts.</summary>
public sealed class RdapTransportSecurityTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Theory]
    [InlineData("rdap.example.net", "max-age=31536000")]
    [InlineData("localhost", null)]
    [InlineData("127.0.0.1", null)]
    public async Task Strict_transport_security_is_sent_except_to_loopback_hosts(string host, string? expected)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{fixture.Server.RdapPort}/rdap/help");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(expected, response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(",", values) : null);
    }

    /// <summary>Trusts the development CA; the certificate names localhost, so only the name may differ from the Host header.</summary>
    private HttpClient Http()
    {
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = DevelopmentTrust.Policy(fixture.Server.CaPath),
                RemoteCertificateValidationCallback = static (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
            },
        });
    }
}
