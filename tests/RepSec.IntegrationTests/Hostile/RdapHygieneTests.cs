using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Input hygiene on the RDAP side, beyond the hostile paths of <c>RdapHostileInputTests</c>: header floods, huge
/// and repeated Authorization headers, hostile query strings and methods, over HTTP/1.1 and HTTP/2. Every one is
/// a 4xx, never a 500, and the server keeps serving.
/// </summary>
public sealed class RdapHygieneTests(RdapHygieneTests.Fixture fixture) : IClassFixture<RdapHygieneTests.Fixture>
{
    public static TheoryData<string, string, int> HeaderFloods => new()
    {
        // Kestrel's MaxRequestHeaderCount (100) and MaxRequestHeadersTotalSize (32 KB): 431 Request Header Fields Too Large.
        { "150 headers", string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Flood-{i}: {i}\r\n")), 431 },
        { "one 40 KB header", $"X-Big: {new string('a', 40_000)}\r\n", 431 },
        { "100 KB Authorization", $"Authorization: Basic {new string('A', 100_000)}\r\n", 431 },
        // Within Kestrel's limits but past the authenticator's 8 KB: refused credentials, not a crash.
        { "16 KB Authorization", $"Authorization: Bearer {new string('A', 16_000)}\r\n", 401 },
        { "two Authorization headers", "Authorization: Basic Z29vZDp4\r\nAuthorization: Basic Z29vZDp5\r\n", 401 },
        { "Basic without base64", "Authorization: Basic !!!not-base64!!!\r\n", 401 },
        { "Basic without a colon", $"Authorization: Basic {Convert.ToBase64String("nocolon"u8)}\r\n", 401 },
        { "Digest garbage", "Authorization: Digest username=\"x\", realm=, nonce=\"\"\"\", ,,,\r\n", 401 },
        { "unknown scheme", "Authorization: Negotiate YIIB\r\n", 401 },
        { "empty Authorization", "Authorization: \r\n", 401 },
        { "header without a colon", "NoColonHere\r\n", 400 },
        { "folded header", "X-Folded: a\r\n  continued\r\n", 400 },
    };

    public static TheoryData<string, int> HostileQueries => new()
    {
        { "/rdap/domains?" + string.Join('&', Enumerable.Repeat("name=a*", 250)), 400 },
        { "/rdap/domains?name=" + new string('a', 2_100), 414 },
        { "/rdap/domains?name=" + new string('a', 4_000), 414 },
        { "/rdap/domains?name=a*&unknown=b", 400 },
        { "/rdap/domains?name=%", 400 },
        { "/rdap/domains?name=%00", 400 },
        { "/rdap/domains?name=%C0%AE", 400 },
        { "/rdap/domains?name", 400 },
        { "/rdap/domains?=a", 400 },
        { "/rdap/domains?&&&", 400 },
        { "/rdap/domains?name=a;b", 400 },
        { "/rdap/domains?cursor=" + new string('Z', 1_500), 400 },
        { "/rdap/entities?fn=" + Uri.EscapeDataString("*' OR 1=1 --"), 422 },
        { $"/rdap/domain/{GoodClient.Domain}?name=x&name=y", 400 },
    };

    [Theory]
    [MemberData(nameof(HeaderFloods))]
    public async Task Header_floods_and_hostile_authorization_get_4xx_and_the_server_keeps_serving(string name, string headers, int status)
    {
        var code = await RawStatusAsync("GET", $"/rdap/domain/{GoodClient.Domain}", headers);
        Assert.True(code == status, $"{name}: {code}");
        await fixture.Good.AssertServedAsync();
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Hostile_query_strings_get_4xx_and_the_server_keeps_serving(string target, int status)
    {
        Assert.Equal(status, await RawStatusAsync("GET", target, ""));
        await fixture.Good.AssertServedAsync();
    }

    [Theory]
    [InlineData("PUT", 405)]
    [InlineData("DELETE", 405)]
    [InlineData("PATCH", 405)]
    [InlineData("PROPFIND", 405)]
    [InlineData("TRACE", 405)]
    [InlineData("FOO", 405)]
    [InlineData("CONNECT", 405)]
    [InlineData("G\u0001T", 400)]
    public async Task Hostile_methods_get_4xx_and_the_server_keeps_serving(string method, int status)
    {
        Assert.Equal(status, await RawStatusAsync(method, $"/rdap/domain/{GoodClient.Domain}", ""));
        await fixture.Good.AssertServedAsync();
    }

    [Fact]
    public async Task A_request_body_is_refused_with_413()
    {
        Assert.Equal(413, await RawStatusAsync("GET", $"/rdap/domain/{GoodClient.Domain}", "Content-Length: 100000\r\n", new string('x', 100)));
        Assert.Equal(413, await RawStatusAsync("GET", $"/rdap/domain/{GoodClient.Domain}", "Transfer-Encoding: chunked\r\n", "64\r\n" + new string('x', 100) + "\r\n0\r\n\r\n"));
        await fixture.Good.AssertServedAsync();
    }

    [Theory]
    [InlineData(150, 0)]
    [InlineData(0, 16_000)]
    // Beyond 32 KB of headers HttpClient refuses to send at all: the server advertises its limit in SETTINGS.
    public async Task Header_floods_over_http2_are_refused_and_the_connection_keeps_serving(int headers, int authorization)
    {
        using var http = Attacker.Http(fixture.Server, Attacker.Address(20), HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"domain/{GoodClient.Domain}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        for (var i = 0; i < headers; i++)
        {
            request.Headers.Add($"x-flood-{i}", new string('v', 100));
        }

        if (authorization > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new string('A', authorization));
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.InRange((int)response.StatusCode, 400, 499);
        using var again = await http.GetAsync($"domain/{GoodClient.Domain}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await fixture.Good.AssertServedAsync();
    }

    /// <summary>Sends the request byte for byte over TLS (HttpClient would refuse or normalize most of these) and returns the status.</summary>
    private async Task<int> RawStatusAsync(string method, string target, string headers, string body = "")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var tls = await Attacker.TlsAsync(Attacker.Address(21), fixture.Server.RdapPort, fixture.Server.CaPath, SslApplicationProtocol.Http11, timeout.Token);
        try
        {
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n{body}"), timeout.Token);
        }
        catch (IOException)
        {
            // the server may answer and close before it has read everything
        }

        var buffer = new byte[12];
        var read = 0;
        while (read < buffer.Length && await tls.ReadAsync(buffer.AsMemory(read), timeout.Token) is > 0 and var n)
        {
            read += n;
        }

        Assert.True(read == buffer.Length, "the server closed without an answer");
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public TestServer Server { get; private set; } = null!;

        internal GoodClient Good { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // The attacker addresses send hundreds of requests here; their rate limit is not what is under test.
            Server = await TestServer.StartAsync(new Dictionary<string, string?>
            {
                ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "100000",
                ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "100000",
                ["RepSec:RateLimits:AuthFailuresPerMinute"] = "100000",
            });
            Good = await GoodClient.StartAsync(Server);
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
