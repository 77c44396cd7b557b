using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>RFC 7481 section 3.2: Basic, Digest, bearer tokens and client certificates, all mapping to the same principals.</summary>
public sealed class RdapAuthenticationTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Fact]
    public async Task A_401_offers_digest_sha256_and_md5_basic_and_bearer_challenges()
    {
        using var http = fixture.Http();
        using var response = await http.GetAsync("auth/domain/example.com");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.Select(c => c.ToString()).ToList();
        Assert.Contains(challenges, c => c.StartsWith("Digest ", StringComparison.Ordinal) && c.Contains("algorithm=SHA-256", StringComparison.Ordinal) && c.Contains("qop=\"auth\"", StringComparison.Ordinal));
        Assert.Contains(challenges, c => c.StartsWith("Digest ", StringComparison.Ordinal) && c.Contains("algorithm=MD5", StringComparison.Ordinal));
        Assert.Contains(challenges, c => c.StartsWith("Basic realm=\"repsec\"", StringComparison.Ordinal));
        Assert.Contains(challenges, c => c.StartsWith("Bearer ", StringComparison.Ordinal));
        Assert.True(challenges.FindIndex(c => c.Contains("SHA-256", StringComparison.Ordinal)) < challenges.FindIndex(c => c.Contains("MD5", StringComparison.Ordinal)));
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Digest_through_the_dotnet_http_stack_reaches_the_privileged_answer()
    {
        using var http = fixture.Http(digest: new NetworkCredential("audra", RdapFixture.AudraPassword));
        using var response = await http.GetAsync("auth/domain/example.com");
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("alice@example.net", json, StringComparison.Ordinal);
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, json);
    }

    [Fact]
    public async Task Wrong_passwords_tokens_and_schemes_are_401_and_never_the_anonymous_answer()
    {
        using var http = fixture.Http();
        foreach (var header in (System.Net.Http.Headers.AuthenticationHeaderValue[])
            [
                RdapFixture.Basic("alice", "wrong-password"),
                RdapFixture.Basic("nobody", "whatever-password"),
                new("Basic", "not base64!"),
                new("Bearer", "rs_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdWRyYSJ9."),
                new("Digest", "username=\"audra\", realm=\"repsec\", nonce=\"forged\", uri=\"/rdap/domain/example.com\", response=\"00\", qop=auth, nc=00000001, cnonce=\"x\""),
                new("Negotiate", "abc"),
            ])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
            request.Headers.Authorization = header;
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{header.Scheme}: {response.StatusCode}");
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        Assert.DoesNotContain("wrong-password", fixture.Server.Logs.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task A_registered_client_certificate_authenticates_over_rdap(string version)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rdap-robot", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var store = fixture.Server.Host.Services.GetService(typeof(IPrincipalStore)) as IPrincipalStore;
        await store!.EnsurePrincipalAsync("rdap-robot", Role.Auditor);
        await store.AddCertificateAsync(Authenticator.Fingerprint(certificate), "rdap-robot", DateTimeOffset.UtcNow);

        using var withCertificate = fixture.Http(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
        // Both HTTP paths: HTTP/1.1 served by repsecd's loop, HTTP/2 handed to Kestrel after the handshake.
        using var lookup = new HttpRequestMessage(HttpMethod.Get, "domain/example.com") { Version = Version.Parse(version), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await withCertificate.SendAsync(lookup);
        Assert.Equal(Version.Parse(version), response.Version);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("alice@example.net", json, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(json)!["redacted"]);
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_are_throttled_with_retry_after()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:RateLimits:AuthFailuresPerMinute"] = "3" });
        using var http = server.RdapHttp();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
            request.Headers.Authorization = RdapFixture.Basic("alice", "guess-" + i);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await RdapSchemas.AssertValidAsync(RdapSchema.Error, await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_parallel_burst_of_password_guesses_is_not_let_past_the_failure_throttle()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:RateLimits:AuthFailuresPerMinute"] = "3" });
        await server.SetPasswordAsync("erin", Role.Auditor, "erin-password-1");
        using var http = server.RdapHttp();
        var guesses = Enumerable.Range(0, 30).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "help");
            request.Headers.Authorization = RdapFixture.Basic("erin", "guess-" + i);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(guesses);

        // One check per address at a time: the rest of a burst is refused before any hashing, not counted as guesses.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 1, 4);
        Assert.Equal(30, statuses.Count(s => s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Answers_for_identified_readers_are_not_for_shared_caches()
    {
        using var http = fixture.Http();
        using var anonymous = await http.GetAsync("domain/example.com");
        Assert.Null(anonymous.Headers.CacheControl);
        using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        request.Headers.Authorization = new("Bearer", fixture.BobToken);
        using var identified = await http.SendAsync(request);
        Assert.True(identified.Headers.CacheControl is { Private: true, NoStore: true });
        using var challenge = await http.GetAsync("auth/domain/example.com");
        Assert.Contains("WWW-Authenticate", string.Join(",", challenge.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_clients_are_limited_sooner_than_authenticated_ones()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "1",
            ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "3",
            ["RepSec:Rdap:RateLimits:AuthenticatedPerSecond"] = "1",
            ["RepSec:Rdap:RateLimits:AuthenticatedBurst"] = "10",
        });
        var token = await server.IssueTokenAsync("carol", Role.Registrant);
        using var http = server.RdapHttp();
        var anonymous = new List<int>();
        var authenticated = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            anonymous.Add((int)(await http.GetAsync("help")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "help");
            request.Headers.Authorization = new("Bearer", token);
            authenticated.Add((int)(await http.SendAsync(request)).StatusCode);
        }

        // Burst 3, then one a second: the loop takes well under the seconds it would need to earn all six.
        Assert.Equal([200, 200, 200], anonymous.Take(3));
        Assert.Contains(429, anonymous);
        Assert.All(authenticated, s => Assert.Equal(200, s));
        using var limited = await http.GetAsync("help");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var error = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)error["errorCode"]!);
    }

}
