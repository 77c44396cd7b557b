using System.Net;
using System.Net.Http.Headers;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// The same target gets the same answer over HTTP/1.1 and HTTP/2: the two are served by different code (repsecd's
/// own HTTP/1.1 loop, Kestrel's HTTP/2), and the path each hands the pipeline must be the same one. Dot segments
/// are removed after percent-decoding on both, %2F stays a slash that is not a separator, and bad encodings
/// reach the pipeline alike; a target encoding a NUL gets the same RDAP 400 (Http2TargetGuard).
/// </summary>
public sealed class RdapProtocolParityTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    public static TheoryData<string> Targets =>
    [
        "/rdap/help",
        "/rdap/../rdap/help",
        "/rdap/./help",
        "/rdap/help/.",
        "/rdap/help/..",
        "/../rdap/help",
        "/rdap/%2E%2E/rdap/help",
        "/rdap/%2e/help",
        "/health/../rdap/help",
        "/rdap/../health/live",
        "/health/./live",
        "/health/live/.",
        "/health/live/x/..",
        "/health/%6Cive",
        "/x/../.well-known/http-message-signatures-directory",
        "/.well-known/./http-message-signatures-directory",
        "/../../health/live",
        "/.well-known/../rdap/help",
        "/rdap/domain/./example.com",
        "/rdap/domain/../domain/example.com",
        "/rdap/domain/example%2Ecom",
        "/rdap/domain/a%2fb",
        "/rdap/domain/a%2F..%2Fb",
        "/rdap/domain/%ff",
        "/rdap/domain/%E0%80%AF",
        "/rdap/domain/a%2",
        "/rdap/domain/%C3%A9x.example",
        "/rdap//help",
        "/rdap/domain/example.com?x=1",
        "/rdap/domains?name=exa*",
        "/rdap/domains?name=%ZZ",
        "/rdap/domain/" + new string('a', 1500),
        "/rdap/domain/" + new string('a', 3000),
        "/rdap/domain/%00%ff..bad",
        "/rdap/domain/exa%00mple.com",
        "/health/%00",
        "/rdap/help?x=%00",
    ];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_target_is_answered_alike_over_http_1_1_and_http_2(string target)
    {
        var http1 = await GetAsync(target, HttpVersion.Version11);
        var http2 = await GetAsync(target, HttpVersion.Version20);

        Assert.Equal(HttpVersion.Version11, http1.Version);
        Assert.Equal(HttpVersion.Version20, http2.Version);
        Assert.Equal(http1.Status, http2.Status);
        if (RdapFixture.KestrelHttp1 && target.Contains("%00", StringComparison.Ordinal))
        {
            // The way back (RepSec:Rdap:Http1=kestrel): Kestrel's HTTP/1.1 refuses a NUL target itself, without a body.
            return;
        }

        Assert.Equal(http1.ContentType, http2.ContentType);
        Assert.Equal(http1.Body, http2.Body);
    }

    private async Task<(Version Version, HttpStatusCode Status, MediaTypeHeaderValue? ContentType, string Body)> GetAsync(string target, Version version)
    {
        using var http = fixture.Http();
        // As sent: the client must not resolve dot segments or re-encode the target itself.
        var uri = new Uri(new Uri(fixture.Server.RdapBase, "/").AbsoluteUri.TrimEnd('/') + target,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.SendAsync(request);
        return (response.Version, response.StatusCode, response.Content.Headers.ContentType, await response.Content.ReadAsStringAsync());
    }
}
