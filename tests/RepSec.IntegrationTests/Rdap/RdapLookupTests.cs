using System.Net;
using System.Text.Json.Nodes;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>RFC 9082 lookups and RFC 9083 answers over real HTTPS, checked against the RDAP JSON schemas.</summary>
public sealed class RdapLookupTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Fact]
    public async Task An_anonymous_domain_lookup_is_a_valid_rdap_domain_without_contact_data()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync("domain/EXAMPLE.com");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rdap+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, json);
        var body = JsonNode.Parse(json)!;
        Assert.Equal("example.com", (string?)body["ldhName"]);
        Assert.Contains("validated", body["status"]!.AsArray().Select(s => (string?)s));
        Assert.True((bool)body["repsec_verified"]!);
        Assert.Contains("repsec", body["rdapConformance"]!.AsArray().Select(s => (string?)s));
        Assert.Contains("redacted", body["rdapConformance"]!.AsArray().Select(s => (string?)s));
        Assert.Equal($"https://127.0.0.1:{fixture.Server.RdapPort}/rdap/domain/example.com",
            (string?)body["links"]![0]!["href"]);
        Assert.Equal("Terms of Service", (string?)body["notices"]![0]!["title"]);
        Assert.Contains("registration", body["events"]!.AsArray().Select(e => (string?)e!["eventAction"]));

        var registrant = body["entities"]![0]!;
        Assert.Equal("registrant", (string?)registrant["roles"]![0]);
        Assert.Null(registrant["handle"]);
        Assert.DoesNotContain("alice@example.net", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Example", json, StringComparison.Ordinal);
        Assert.Null(body["repsec_attributes"]);
        var redacted = body["redacted"]!.AsArray().Select(r => (string?)r!["name"]!["description"]).ToList();
        Assert.Contains("Registrant Email", redacted);
        Assert.Contains("Registrant Name", redacted);
        Assert.Contains("Registry Registrant ID", redacted);
        Assert.Contains("Registry Attributes", redacted);
    }

    [Fact]
    public async Task Anonymous_and_privileged_answers_differ_exactly_by_the_redacted_members()
    {
        using var http = fixture.Http();
        var anonymous = JsonNode.Parse(await http.GetStringAsync("domain/example.com"))!.AsObject();
        using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        request.Headers.Authorization = RdapFixture.Basic("audra", RdapFixture.AudraPassword);
        using var response = await http.SendAsync(request);
        var privilegedJson = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, privilegedJson);
        var privileged = JsonNode.Parse(privilegedJson)!.AsObject();

        Assert.Null(privileged["redacted"]);
        Assert.Contains("alice@example.net", privilegedJson, StringComparison.Ordinal);
        Assert.Equal("primary", (string?)privileged["repsec_attributes"]!["note"]);

        // Withhold from the full answer exactly what the anonymous answer says it withheld: the rest must be equal.
        var redactions = anonymous["redacted"]!.AsArray();
        RedactionPaths.Apply(privileged, redactions);
        anonymous.Remove("redacted");
        foreach (var body in (JsonObject[])[anonymous, privileged])
        {
            body["events"]!.AsArray().RemoveAt(2); // "last update of RDAP database" is the time of each answer
            body["entities"]![0]!.AsObject().Remove("status"); // the registrant says private/removed when redacted
        }

        Assert.Equal(privileged.ToJsonString(), anonymous.ToJsonString());
    }

    [Fact]
    public async Task The_owner_sees_all_of_its_own_objects_and_another_registrant_only_the_authenticated_tier()
    {
        using var http = fixture.Http();
        using var own = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        own.Headers.Authorization = RdapFixture.Basic("alice", RdapFixture.AlicePassword);
        var ownJson = await (await http.SendAsync(own)).Content.ReadAsStringAsync();
        Assert.Contains("alice@example.net", ownJson, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(ownJson)!["redacted"]);

        using var other = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        other.Headers.Authorization = new("Bearer", fixture.BobToken);
        var otherJson = await (await http.SendAsync(other)).Content.ReadAsStringAsync();
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, otherJson);
        var body = JsonNode.Parse(otherJson)!;
        var registrant = body["entities"]![0]!;
        Assert.Equal("principal:alice", (string?)registrant["handle"]);
        Assert.Contains("Example Holdings", otherJson, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.net", otherJson, StringComparison.Ordinal);
        Assert.Equal("primary", (string?)body["repsec_attributes"]!["note"]);
        var redacted = body["redacted"]!.AsArray().Select(r => (string?)r!["name"]!["description"]).ToList();
        Assert.Contains("Registrant Email", redacted);
        Assert.DoesNotContain("Registrant Organization", redacted);
        Assert.DoesNotContain("Registry Registrant ID", redacted);
    }

    [Fact]
    public async Task A_unicode_name_finds_the_idn_and_the_answer_carries_both_forms()
    {
        using var http = fixture.Http();
        var json = await http.GetStringAsync("domain/" + Uri.EscapeDataString("MÜNCHEN.de"));
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, json);
        var body = JsonNode.Parse(json)!;
        Assert.Equal("xn--mnchen-3ya.de", (string?)body["ldhName"]);
        Assert.Equal("münchen.de", (string?)body["unicodeName"]);
        Assert.True(SameButTime(json, await http.GetStringAsync("domain/xn--mnchen-3ya.de")), "the A-label and U-label lookups differ");
    }

    [Theory]
    [InlineData("ip/192.0.2.200", "192.0.2.128/25", "192.0.2.128", "192.0.2.255")]
    [InlineData("ip/192.0.2.5", "192.0.2.0/24", "192.0.2.0", "192.0.2.255")]
    [InlineData("ip/192.0.2.0/24", "192.0.2.0/24", "192.0.2.0", "192.0.2.255")]
    [InlineData("ip/192.0.2.128/26", "192.0.2.128/25", "192.0.2.128", "192.0.2.255")]
    [InlineData("ip/2001:db8:1::1", "2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    public async Task An_ip_lookup_answers_the_most_specific_registered_network(string path, string handle, string start, string end)
    {
        using var http = fixture.Http();
        var json = await http.GetStringAsync(path);
        await RdapSchemas.AssertValidAsync(RdapSchema.IpNetwork, json);
        var body = JsonNode.Parse(json)!;
        Assert.Equal((handle, start, end), ((string?)body["handle"], (string?)body["startAddress"], (string?)body["endAddress"]));
    }

    [Fact]
    public async Task Autnum_and_registry_entity_lookups_validate()
    {
        using var http = fixture.Http();
        var autnum = await http.GetStringAsync("autnum/64500");
        await RdapSchemas.AssertValidAsync(RdapSchema.Autnum, autnum);
        Assert.Equal("AS64500", (string?)JsonNode.Parse(autnum)!["handle"]);

        var user = await http.GetStringAsync("entity/" + Uri.EscapeDataString("userid:alice@example.com"));
        await RdapSchemas.AssertValidAsync(RdapSchema.Entity, user);
        var organization = await http.GetStringAsync("entity/" + Uri.EscapeDataString("acme corp"));
        await RdapSchemas.AssertValidAsync(RdapSchema.Entity, organization);
        Assert.Equal("organization:acme corp", (string?)JsonNode.Parse(organization)!["handle"]);
    }

    [Fact]
    public async Task A_principal_is_shown_only_to_readers_allowed_its_handle()
    {
        using var http = fixture.Http();
        using var anonymous = await http.GetAsync("entity/principal:alice");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, await anonymous.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, "entity/principal:alice");
        request.Headers.Authorization = RdapFixture.Basic("audra", RdapFixture.AudraPassword);
        using var privileged = await http.SendAsync(request);
        var json = await privileged.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, privileged.StatusCode);
        await RdapSchemas.AssertValidAsync(RdapSchema.Entity, json);
        Assert.Contains("Springfield", json, StringComparison.Ordinal);

        // Bob may see handles (authenticated tier) but the defaults let him see alice's principal record too;
        // with handles withheld from the authenticated tier he would get 403 whether or not the principal exists.
        using var own = new HttpRequestMessage(HttpMethod.Get, "entity/principal:nobody");
        own.Headers.Authorization = new("Bearer", fixture.BobToken);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task Readers_not_allowed_principal_handles_get_403_whether_or_not_the_principal_exists()
    {
        await using var server = await Infrastructure.TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:Disclosure:Authenticated:0"] = "registrant.country",
        });
        var token = await server.IssueTokenAsync("carol", Core.Security.Role.Registrant);
        await server.IssueTokenAsync("dave", Core.Security.Role.Registrant);
        using var http = server.RdapHttp();
        foreach (var (handle, expected) in ((string, HttpStatusCode)[])
            [("principal:dave", HttpStatusCode.Forbidden), ("principal:nobody", HttpStatusCode.Forbidden), ("principal:carol", HttpStatusCode.OK)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "entity/" + handle);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
            await RdapSchemas.AssertValidAsync(response.IsSuccessStatusCode ? RdapSchema.Entity : RdapSchema.Error, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Unknown_objects_are_404_rdap_errors_and_head_matches_get()
    {
        using var http = fixture.Http();
        using var missing = await http.GetAsync("domain/nothing.example");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/rdap+json", missing.Content.Headers.ContentType!.MediaType);
        var error = await missing.Content.ReadAsStringAsync();
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, error);
        Assert.Equal(404, (int)JsonNode.Parse(error)!["errorCode"]!);

        foreach (var path in (string[])["domain/example.com", "domain/nothing.example", "ip/198.51.100.1"])
        {
            using var get = await http.GetAsync(path);
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(get.StatusCode, head.StatusCode);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Equal("*", Assert.Single(head.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Cached_public_answers_follow_registrations_and_removals_at_once()
    {
        using var http = fixture.Http();
        await using var bob = await fixture.ConnectAsync(fixture.BobToken);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("domain/cache.example")).StatusCode);
        await bob.RegisterAsync("cache.example", "domain");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("domain/cache.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("domain/cache.example")).StatusCode);
        await bob.RemoveAsync("cache.example", "domain");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("domain/cache.example")).StatusCode);
    }

    [Fact]
    public async Task Help_validates_and_describes_queries_and_authentication()
    {
        using var http = fixture.Http();
        var json = await http.GetStringAsync("help");
        await RdapSchemas.AssertValidAsync(RdapSchema.Help, json);
        Assert.Contains("Digest", json, StringComparison.Ordinal);
    }

    private static bool SameButTime(string a, string b) =>
        System.Text.RegularExpressions.Regex.Replace(a, "\"eventAction\":\"last update of RDAP database\",\"eventDate\":\"[^\"]+\"", "")
        == System.Text.RegularExpressions.Regex.Replace(b, "\"eventAction\":\"last update of RDAP database\",\"eventDate\":\"[^\"]+\"", "");
}
