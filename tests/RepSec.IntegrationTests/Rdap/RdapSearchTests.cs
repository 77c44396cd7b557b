using System.Net;
using System.Text.Json.Nodes;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>RFC 9082 searches with RFC 8977 paging and sorting; the fixture pages by 2 and caps a search at 4 results.</summary>
public sealed class RdapSearchTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Fact]
    public async Task A_prefix_search_pages_with_cursors_and_counts()
    {
        using var http = fixture.Http();
        var first = await http.GetStringAsync("domains?name=ex*&count=true");
        await RdapSchemas.AssertValidAsync(RdapSchema.DomainSearch, first);
        var page1 = JsonNode.Parse(first)!;
        Assert.Equal(["exact.example", "example.com"], Names(page1));
        Assert.Equal(4, (int)page1["paging_metadata"]!["totalCount"]!);
        Assert.Equal(1, (int)page1["paging_metadata"]!["pageNumber"]!);
        Assert.Contains("paging", page1["rdapConformance"]!.AsArray().Select(c => (string?)c));

        var next = (string)page1["paging_metadata"]!["links"]![0]!["href"]!;
        var page2 = JsonNode.Parse(await http.GetStringAsync(new Uri(next)))!;
        Assert.Equal(["example.org", "extra.example"], Names(page2));
        Assert.Equal(2, (int)page2["paging_metadata"]!["pageNumber"]!);
        Assert.Null(page2["paging_metadata"]!["links"]);
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_search_and_cannot_be_altered()
    {
        using var http = fixture.Http();
        var page1 = JsonNode.Parse(await http.GetStringAsync("domains?name=e*"))!;
        var next = new Uri((string)page1["paging_metadata"]!["links"]![0]!["href"]!);
        var cursor = next.Query.Split('&').Single(p => p.StartsWith("cursor=", StringComparison.Ordinal))["cursor=".Length..];
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"domains?name=e*&cursor={cursor}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"domains?name=ex*&cursor={cursor}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"domains?name=e*&sort=name:d&cursor={cursor}")).StatusCode);
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"domains?name=e*&cursor={tampered}")).StatusCode);
    }

    [Fact]
    public async Task Sorting_by_registration_date_descending_lists_the_newest_first()
    {
        using var http = fixture.Http();
        var body = JsonNode.Parse(await http.GetStringAsync("domains?name=ex*&sort=registrationDate:d"))!;
        Assert.Equal(["extra.example", "exact.example"], Names(body));
        Assert.Equal("registrationDate:d", (string?)body["sorting_metadata"]!["currentSort"]);
    }

    [Fact]
    public async Task A_search_beyond_the_result_cap_is_truncated_and_says_so()
    {
        using var http = fixture.Http();
        var page1 = JsonNode.Parse(await http.GetStringAsync("domains?name=e*"))!;
        var page2 = JsonNode.Parse(await http.GetStringAsync(new Uri((string)page1["paging_metadata"]!["links"]![0]!["href"]!)))!;
        Assert.Equal(2, Names(page2).Count);
        Assert.Null(page2["paging_metadata"]!["links"]);
        Assert.Contains("result set truncated due to excessive load", page2["notices"]!.AsArray().Select(n => (string?)n!["type"]));
    }

    [Fact]
    public async Task Entity_searches_need_authentication_by_default_and_then_find_user_ids_and_organizations()
    {
        using var http = fixture.Http();
        using var anonymous = await http.GetAsync("entities?fn=a*");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "entities?fn=a*");
        request.Headers.Authorization = new("Bearer", fixture.BobToken);
        using var response = await http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RdapSchemas.AssertValidAsync(RdapSchema.EntitySearch, json);
        var handles = JsonNode.Parse(json)!["entitySearchResults"]!.AsArray().Select(e => (string?)e!["handle"]).ToList();
        Assert.Equal(["organization:acme corp", "userid:alice@example.com"], handles);
    }

    [Theory]
    [InlineData("domains?name=*", 422)]
    [InlineData("domains?name=e*x", 422)]
    [InlineData("domains?name=m%C3%BC*", 422)]
    [InlineData("domains?name=", 400)]
    [InlineData("domains?name=ex*&cursor=bogus", 400)]
    [InlineData("domains?name=.*", 400)]
    [InlineData("domains?name=ex*&cursor=YzEKMgpuYW1lOmEKMAptb21haW4KYQ.AAAAAAAAAAAAAAAAAAAAAA", 400)]
    [InlineData("domains?name=ex*&sort=color", 400)]
    [InlineData("domains?name=ex*&page=2", 400)]
    [InlineData("domains?nsLdhName=ns1.example", 501)]
    [InlineData("nameserver/ns1.example.com", 501)]
    [InlineData("entities?fn=a*&handle=b*", 400)]
    public async Task Unsupported_or_malformed_searches_get_rdap_errors(string path, int status)
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, json);
        Assert.Equal(status, (int)JsonNode.Parse(json)!["errorCode"]!);
    }

    private static List<string?> Names(JsonNode body) =>
        body["domainSearchResults"]!.AsArray().Select(d => (string?)d!["ldhName"]).ToList();
}
