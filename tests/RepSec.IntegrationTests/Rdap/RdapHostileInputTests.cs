using System.Net;
using System.Net.Sockets;
using System.Text;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>RFC 7481 section 5: strict path and query validation; a hostile request is a 4xx RDAP error, never a 500.</summary>
public sealed class RdapHostileInputTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Theory]
    [InlineData("/rdap/domain/exa%01mple.com", 400)]
    [InlineData("/rdap/domain/%FF%FE", 400)]
    [InlineData("/rdap/domain/%E0%80%AF", 400)]
    [InlineData("/rdap/domain/a%2", 400)]
    [InlineData("/rdap/domain/..", 400)]
    [InlineData("/rdap/domain//example.com", 400)]
    [InlineData("/rdap/domain/example.com/extra", 400)]
    [InlineData("/rdap/domain/example.com?x=1", 400)]
    [InlineData("/rdap/domain/%3Cscript%3E", 400)]
    [InlineData("/rdap/domain/ex'ample.com;DROP%20TABLE%20entities", 400)]
    [InlineData("/rdap/ip/300.1.1.1", 400)]
    [InlineData("/rdap/ip/192.0.2.0/33", 400)]
    [InlineData("/rdap/ip/192.0.2.0/24/1", 400)]
    [InlineData("/rdap/autnum/AS1", 400)]
    [InlineData("/rdap/autnum/4294967296", 400)]
    [InlineData("/rdap/autnum/-1", 400)]
    [InlineData("/rdap/entity/userid:a%20b", 400)]
    [InlineData("/rdap/unknown/x", 400)]
    [InlineData("/rdap", 404)]
    [InlineData("/console.html", 404)]   // "/" is the web console (docs/console.md)
    [InlineData("/index.html", 404)]
    [InlineData("/rdap/domains?name=a&name=b", 400)]
    [InlineData("/rdap/domains?name=%ZZ", 400)]
    public async Task Hostile_targets_get_clear_errors_and_the_server_keeps_serving(string target, int status)
    {
        var (code, headers, body) = await RawGetAsync(target);
        Assert.Equal(status, code);
        Assert.Contains("content-type: application/rdap+json", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("access-control-allow-origin: *", headers, StringComparison.OrdinalIgnoreCase);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, body);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);

        using var http = fixture.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("domain/example.com")).StatusCode);
    }

    [Fact]
    public async Task An_absolute_form_target_is_served_like_its_path()
    {
        var authority = $"127.0.0.1:{fixture.Server.RdapPort}";
        var (code, _, body) = await RawGetAsync($"https://{authority}/rdap/domain/example.com", authority);
        Assert.Equal(200, code);
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, body);
    }

    [Fact]
    public async Task A_nul_in_the_path_is_refused_by_the_http_layer_with_400()
    {
        var (code, _, _) = await RawGetAsync("/rdap/domain/exa%00mple.com");
        Assert.Equal(400, code);
        using var http = fixture.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("domain/example.com")).StatusCode);
    }

    /// <summary>
    /// Kestrel's HTTP/2 alone resets the stream (PROTOCOL_ERROR) for a path that decodes to a NUL; repsecd answers it
    /// as its HTTP/1.1 loop does, whether the path is new, sent again (HPACK then names it by index), or in the query.
    /// </summary>
    [Theory]
    [InlineData("/rdap/domain/%00%ff..bad")]
    [InlineData("/rdap/domain/exa%00mple.com")]
    [InlineData("/rdap/help?x=%00")]
    [InlineData("/health/%00")]
    public async Task A_nul_in_the_target_over_http_2_is_an_rdap_400_and_the_connection_keeps_serving(string target)
    {
        using var http = fixture.Http();
        var uri = new Uri(new Uri(fixture.Server.RdapBase, "/").AbsoluteUri.TrimEnd('/') + target,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/rdap+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("the request target encodes a NUL character", body, StringComparison.Ordinal);
            await RdapSchemas.AssertValidAsync(RdapSchema.Error, body);

            using var next = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Server.RdapBase, "domain/example.com")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(next)).StatusCode);
        }
    }

    [Fact]
    public async Task An_overlong_target_is_414_and_other_methods_are_405()
    {
        var (code, _, body) = await RawGetAsync("/rdap/domain/" + new string('a', 3000));
        Assert.True(code is 414 or 400, $"got {code}");

        using var http = fixture.Http();
        using var post = await http.PostAsync("domain/example.com", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, await post.Content.ReadAsStringAsync());

        using var options = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "domain/example.com"));
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Contains("Authorization", string.Join(",", options.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.Ordinal);
        _ = body;
    }

    [Fact]
    public async Task There_is_no_plaintext_listener()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Server.RdapPort);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /rdap/help HTTP/1.1\r\nHost: x\r\n\r\n"));
        var buffer = new byte[256];
        var read = await ReadSomeAsync(stream, buffer);
        Assert.DoesNotContain("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    private Task<(int Status, string Headers, string Body)> RawGetAsync(string target, string host = "127.0.0.1") =>
        RawHttps.GetAsync(fixture.Server, target, host);

    private static async Task<int> ReadSomeAsync(NetworkStream stream, byte[] buffer)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
