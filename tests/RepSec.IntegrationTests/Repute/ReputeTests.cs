using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Rdap;

namespace RepSec.IntegrationTests.Repute;

/// <summary>
/// RFC 7072 over real HTTPS: the template, queries that answer the reputons REPUTATION gives for the same entity,
/// and the RDAP pipeline (methods, CORS, authentication, errors) they go through.
/// </summary>
[Collection(ReputeFixture.Collection)]
public sealed class ReputeTests(ReputeFixture fixture)
{
    private const string ReputonMediaType = "application/reputon+json";

    [Fact]
    public async Task The_template_is_plain_text_naming_the_listening_port_and_stays_fresh_a_day()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync(fixture.Url("/.well-known/repute-template"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"https://{{service}}:{fixture.Server.RdapPort}/repute/{{application}}/{{subject}}/{{assertion}}{{?type}}", body);
        var fresh = response.Content.Headers.Expires!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(fresh, TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl!.MaxAge);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("192.0.2.0/24", "", null, "abuse")]
    [InlineData("192.0.2.0/24", "abuse", "ip", "abuse")]
    [InlineData("Acme Corp", "", "organization", "trustworthy")]
    [InlineData("example.com", "spam", null, "spam")]
    [InlineData("example.com", "", "", "phishing,spam")]
    public async Task The_template_expands_into_queries_the_server_answers(string subject, string assertion, string? type, string assertions)
    {
        using var http = fixture.Http();
        var template = await http.GetStringAsync(fixture.Url("/.well-known/repute-template"));
        var uri = Expand(template, new Dictionary<string, string?>
        {
            ["service"] = "127.0.0.1", ["application"] = "repsec", ["subject"] = subject, ["assertion"] = assertion, ["type"] = type,
        });

        using var response = await http.GetAsync(new Uri(uri));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReputonMediaType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("repsec", body.GetProperty("application").GetString());
        Assert.Equal(assertions, ReputonAssert.Assertions(body.GetProperty("reputons")));
    }

    [Theory]
    [InlineData("example.com", "domain", "phishing,spam")]
    [InlineData("192.0.2.0/24", "ip", "abuse")]
    [InlineData("AS64500", "asn", "malware")]
    [InlineData("alice@example.com", "userid", "spam")]
    [InlineData("Acme Corp", "organization", "trustworthy")]
    [InlineData("spam.example", "domain", "spam")]
    [InlineData("example.com", null, "phishing,spam")]
    [InlineData("192.0.2.0/24", null, "abuse")]
    [InlineData("spam.example", null, "spam")]
    public async Task A_query_answers_the_reputons_the_reputation_command_gives(string subject, string? type, string assertions)
    {
        var expected = (await fixture.ReputationAsync(subject, type)).GetProperty("reputons");
        using var response = await GetAsync($"/repute/repsec/{Uri.EscapeDataString(subject)}/{(type is null ? "" : "?type=" + type)}");
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReputonMediaType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("repsec", body.GetProperty("application").GetString());
        Assert.Equal(assertions, ReputonAssert.Assertions(expected));
        ReputonAssert.Same(expected, body.GetProperty("reputons"));
    }

    [Fact]
    public async Task A_rating_is_the_confidence_weighted_mean_of_the_reports()
    {
        using var response = await GetAsync("/repute/repsec/example.com/spam");
        var spam = Assert.Single((await JsonAsync(response)).GetProperty("reputons").EnumerateArray());

        // bob 0.9 at confidence 0.8 and carol 0.5 at 1: rating (0.72 + 0.5) / 1.8, confidence 1.8 / (1.8 + 1).
        Assert.Equal("example.com", spam.GetProperty("rated").GetString());
        Assert.Equal("spam", spam.GetProperty("assertion").GetString());
        Assert.Equal(0.678, spam.GetProperty("rating").GetDouble());
        Assert.Equal(0.643, spam.GetProperty("confidence").GetDouble());
        Assert.Equal(2, spam.GetProperty("sample-size").GetInt64());
        Assert.False(spam.TryGetProperty("repsec-allowlisted", out _));
    }

    [Fact]
    public async Task Expires_and_max_age_are_those_of_the_reputons_or_the_reputon_lifetime_when_there_are_none()
    {
        using var response = await GetAsync("/repute/repsec/example.com/");
        var reputons = (await JsonAsync(response)).GetProperty("reputons");
        var earliest = reputons.EnumerateArray().Min(r => r.GetProperty("expires").GetInt64());
        Assert.Equal(2, reputons.GetArrayLength());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(earliest), response.Content.Headers.Expires);
        Assert.InRange(response.Headers.CacheControl!.MaxAge!.Value.TotalSeconds, ReputeFixture.ReputonTtlSeconds - 5, ReputeFixture.ReputonTtlSeconds);

        using var empty = await GetAsync("/repute/repsec/nobody.example/?type=domain");
        var lifetime = TimeSpan.FromSeconds(ReputeFixture.ReputonTtlSeconds);
        Assert.InRange(empty.Content.Headers.Expires!.Value - DateTimeOffset.UtcNow, lifetime - TimeSpan.FromSeconds(5), lifetime + TimeSpan.FromSeconds(1));
        Assert.InRange(empty.Headers.CacheControl!.MaxAge!.Value.TotalSeconds, ReputeFixture.ReputonTtlSeconds - 5, ReputeFixture.ReputonTtlSeconds);
    }

    [Theory]
    [InlineData("/repute/repsec/nobody.example/?type=domain")]
    [InlineData("/repute/repsec/nobody.example/spam?type=domain")]
    [InlineData("/repute/repsec/nobody.example/")]
    [InlineData("/repute/repsec/quiet.example/")]
    public async Task An_entity_nobody_reported_has_an_empty_reputon_set(string path)
    {
        using var response = await GetAsync(path);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("repsec", body.GetProperty("application").GetString());
        Assert.Equal(0, body.GetProperty("reputons").GetArrayLength());
    }

    [Theory]
    [InlineData("/repute/repsec/example.com/spam", "spam")]
    [InlineData("/repute/repsec/example.com/phishing", "phishing")]
    [InlineData("/repute/repsec/example.com/", "phishing,spam")]
    [InlineData("/repute/repsec/example.com", "phishing,spam")]
    [InlineData("/repute/repsec/EXAMPLE.com/spam?type=domain", "spam")]
    [InlineData("/repute/repsec/example.com/malware", "")]
    [InlineData("/repute/repsec/example.com/no-such-assertion", "")]
    public async Task An_assertion_selects_its_reputon_and_the_empty_assertion_selects_all(string path, string assertions)
    {
        using var response = await GetAsync(path);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(assertions, ReputonAssert.Assertions(body.GetProperty("reputons")));
    }

    [Theory]
    [InlineData("/repute/other/example.com/spam")]
    [InlineData("/repute/REPSEC/example.com/spam")]
    [InlineData("/repute/")]
    [InlineData("/repute")]
    public async Task A_query_for_another_application_is_404(string path)
    {
        using var response = await GetAsync(path);
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/rdap+json", response.Content.Headers.ContentType!.MediaType);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, json);
        Assert.Equal(404, JsonDocument.Parse(json).RootElement.GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task A_subject_registered_as_several_types_needs_a_type()
    {
        using var untyped = await GetAsync("/repute/repsec/both.example/spam");
        var error = await untyped.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, untyped.StatusCode);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, error);
        Assert.Contains("?type=", error, StringComparison.Ordinal);

        using var domain = await GetAsync("/repute/repsec/both.example/spam?type=domain");
        var reputon = Assert.Single((await JsonAsync(domain)).GetProperty("reputons").EnumerateArray());
        Assert.Equal(("both.example", 0.6), (reputon.GetProperty("rated").GetString(), reputon.GetProperty("rating").GetDouble()));

        using var userid = await GetAsync("/repute/repsec/both.example/spam?type=userid");
        Assert.Equal(HttpStatusCode.OK, userid.StatusCode);
        Assert.Equal(0, (await JsonAsync(userid)).GetProperty("reputons").GetArrayLength());
    }

    [Theory]
    [InlineData("/repute/repsec/example.com/spam?type=bogus", 400)]
    [InlineData("/repute/repsec/example.com/spam?type=asn", 400)]
    [InlineData("/repute/repsec/300.1.1.1/?type=ip", 400)]
    [InlineData("/repute/repsec/example.com/spam?kind=domain", 400)]
    [InlineData("/repute/repsec/example.com/spam?type=domain&type=ip", 400)]
    [InlineData("/repute/repsec//spam", 400)]
    [InlineData("/repute/repsec/%ZZ/spam", 400)]
    [InlineData("/repute/repsec/exa%01mple.com/spam", 400)]
    [InlineData("/repute/repsec/../spam", 400)]
    [InlineData("/repute/repsec/example.com/spam/extra", 400)]
    [InlineData("/repute/repsec", 400)]
    [InlineData("/.well-known/repute-template?x=1", 400)]
    [InlineData("/repute/other/a/b/c/d", 404)]
    public async Task Malformed_queries_are_rdap_errors_and_never_500(string target, int status)
    {
        var (code, headers, body) = await RawHttps.GetAsync(fixture.Server, target);

        Assert.Equal(status, code);
        Assert.Contains("content-type: application/rdap+json", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("access-control-allow-origin: *", headers, StringComparison.OrdinalIgnoreCase);
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, body);
    }

    [Fact]
    public async Task Queries_go_through_the_rdap_pipeline()
    {
        using var http = fixture.Http();
        var url = fixture.Url("/repute/repsec/example.com/spam");

        using var anonymous = await http.GetAsync(url);
        Assert.Equal("nosniff", Assert.Single(anonymous.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(anonymous.Headers.CacheControl!.Private);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(ReputonMediaType, head.Content.Headers.ContentType!.ToString());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        using var post = await http.PostAsync(url, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);

        using var preflight = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, url));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminToken[..^4] + "AAAA");
        using var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotEmpty(refused.Headers.WwwAuthenticate);

        using var admin = new HttpRequestMessage(HttpMethod.Get, url);
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminToken);
        using var identified = await http.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, identified.StatusCode);
        Assert.True(identified.Headers.CacheControl!.Private);
        Assert.NotNull(identified.Headers.CacheControl.MaxAge);
        Assert.Equal("spam", ReputonAssert.Assertions((await JsonAsync(identified)).GetProperty("reputons")));
    }

    /// <summary>RFC 6570 expansion of the expressions the template may hold: <c>{var}</c> and <c>{?var}</c>.</summary>
    private static string Expand(string template, Dictionary<string, string?> values) =>
        Regex.Replace(template, @"\{(\??)([a-z]+)\}", match =>
        {
            var name = match.Groups[2].Value;
            var value = values[name];
            return match.Groups[1].Value == "?"
                ? value is null ? "" : $"?{name}={Uri.EscapeDataString(value)}"
                : Uri.EscapeDataString(value ?? "");
        });

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var http = fixture.Http();
        return await http.GetAsync(fixture.Url(path));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
