using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RepSec.IntegrationTests.Repute;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// <c>repsec_reputation</c> on RDAP lookups: the reputons REPUTATION gives for the same object, the allowlist entry,
/// <c>repsec</c> in rdapConformance, and answers that still validate against the RDAP schemas.
/// </summary>
[Collection(ReputeFixture.Collection)]
public sealed class RdapReputationTests(ReputeFixture fixture)
{
    [Theory]
    [InlineData("domain/example.com", "Domain", "example.com", "domain", "phishing,spam")]
    [InlineData("ip/192.0.2.5", "IpNetwork", "192.0.2.0/24", "ip", "abuse")]
    [InlineData("autnum/64500", "Autnum", "AS64500", "asn", "malware")]
    [InlineData("entity/userid:alice@example.com", "Entity", "alice@example.com", "userid", "spam")]
    [InlineData("entity/organization:acme%20corp", "Entity", "Acme Corp", "organization", "trustworthy")]
    public async Task A_lookup_carries_the_reputons_the_reputation_command_gives(string path, string schema, string entity, string type, string assertions)
    {
        var expected = (await fixture.ReputationAsync(entity, type)).GetProperty("reputons");
        using var http = fixture.Http();
        using var response = await http.GetAsync(path);
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RdapSchemas.AssertValidAsync(Enum.Parse<RdapSchema>(schema), json);
        var body = JsonDocument.Parse(json).RootElement;
        Assert.Contains("repsec", body.GetProperty("rdapConformance").EnumerateArray().Select(c => c.GetString()));
        var reputation = body.GetProperty("repsec_reputation");
        Assert.Equal(assertions, ReputonAssert.Assertions(reputation.GetProperty("reputons")));
        ReputonAssert.Same(expected, reputation.GetProperty("reputons"));
        Assert.False(reputation.GetProperty("allowlisted").GetBoolean());
        Assert.False(reputation.TryGetProperty("allowlist", out _));
    }

    [Fact]
    public async Task An_allowlisted_object_says_so_and_its_reputons_carry_repsec_allowlisted()
    {
        var command = await fixture.ReputationAsync("allowed.example", "domain");
        Assert.True(command.GetProperty("allowlisted").GetBoolean());
        using var http = fixture.Http();
        var json = await http.GetStringAsync("domain/allowed.example");
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, json);

        var reputation = JsonDocument.Parse(json).RootElement.GetProperty("repsec_reputation");
        Assert.True(reputation.GetProperty("allowlisted").GetBoolean());
        var entry = reputation.GetProperty("allowlist");
        Assert.Equal(ReputeFixture.AllowlistReason, entry.GetProperty("reason").GetString());
        var since = DateTimeOffset.Parse(entry.GetProperty("since").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(10));
        Assert.False(entry.TryGetProperty("added_by", out _));

        // The operator's word outranks bob's report: spam does not hold, with full confidence, and the reputon says why.
        var spam = Assert.Single(reputation.GetProperty("reputons").EnumerateArray());
        Assert.True(spam.GetProperty("repsec-allowlisted").GetBoolean());
        Assert.Equal((0.0, 1.0), (spam.GetProperty("rating").GetDouble(), spam.GetProperty("confidence").GetDouble()));
        ReputonAssert.Same(command.GetProperty("reputons"), reputation.GetProperty("reputons"));

        var repute = JsonDocument.Parse(await http.GetStringAsync(fixture.Url("/repute/repsec/allowed.example/spam"))).RootElement;
        ReputonAssert.Same(command.GetProperty("reputons"), repute.GetProperty("reputons"));

        using var privileged = new HttpRequestMessage(HttpMethod.Get, "domain/allowed.example");
        privileged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminToken);
        using var response = await http.SendAsync(privileged);
        var asAdmin = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("root", asAdmin.GetProperty("repsec_reputation").GetProperty("allowlist").GetProperty("added_by").GetString());
    }

    [Fact]
    public async Task An_object_nobody_reported_carries_an_empty_reputation()
    {
        using var http = fixture.Http();
        var json = await http.GetStringAsync("domain/quiet.example");
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, json);

        var reputation = JsonDocument.Parse(json).RootElement.GetProperty("repsec_reputation");
        Assert.Equal(0, reputation.GetProperty("reputons").GetArrayLength());
        Assert.False(reputation.GetProperty("allowlisted").GetBoolean());
    }

    [Fact]
    public async Task Search_results_carry_no_reputation()
    {
        using var http = fixture.Http();
        var json = await http.GetStringAsync("domains?name=example.com");
        await RdapSchemas.AssertValidAsync(RdapSchema.DomainSearch, json);

        var result = Assert.Single(JsonDocument.Parse(json).RootElement.GetProperty("domainSearchResults").EnumerateArray());
        Assert.Equal("example.com", result.GetProperty("ldhName").GetString());
        Assert.False(result.TryGetProperty("repsec_reputation", out _));
    }
}
