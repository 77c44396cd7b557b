using System.Net;
using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Repute;

/// <summary>RFC 7072 under configuration: the extension turned off, a public base URL, and RDAP's rate limit.</summary>
public sealed class ReputeSettingsTests
{
    [Fact]
    public async Task With_the_extension_off_both_endpoints_are_404_and_lookups_carry_no_reputation()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:Reputation:Enabled"] = "false" });
        var alice = await server.IssueTokenAsync("alice", Role.Registrant);
        await using (var wire = await server.ConnectAsync())
        {
            Assert.Equal(200, (await wire.RequestAsync(Requests.Register("example.com", "domain", alice))).Status());
        }

        using var http = server.RdapHttp();
        foreach (var path in (string[])["/.well-known/repute-template", "/repute/repsec/example.com/spam", "/repute/repsec/example.com/"])
        {
            using var response = await http.GetAsync(new Uri(server.RdapBase, path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/rdap+json", response.Content.Headers.ContentType!.MediaType);
        }

        var lookup = JsonDocument.Parse(await http.GetStringAsync("domain/example.com")).RootElement;
        Assert.False(lookup.TryGetProperty("repsec_reputation", out _));
        Assert.True(lookup.GetProperty("repsec_verified").GetBoolean());
    }

    [Fact]
    public async Task A_configured_base_url_is_the_root_of_the_template()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:Rdap:BaseUrl"] = "https://rdap.example.net/" });
        using var http = server.RdapHttp();

        var template = await http.GetStringAsync(new Uri(server.RdapBase, "/.well-known/repute-template"));

        Assert.Equal("https://rdap.example.net/repute/{application}/{subject}/{assertion}{?type}", template);
    }

    [Fact]
    public async Task Queries_count_against_the_rdap_rate_limit()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "1",
            ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "1",
        });
        using var http = server.RdapHttp();

        using var first = await http.GetAsync("help");
        using var second = await http.GetAsync(new Uri(server.RdapBase, "/repute/repsec/example.com/?type=domain"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("application/rdap+json", second.Content.Headers.ContentType!.MediaType);
    }
}
