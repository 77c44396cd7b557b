using System.Net;
using System.Text.Json.Nodes;
using RepSec.Client.Rdap;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Signatures;
using RepSec.Testing.Federation;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// RFC 7481 section 3.2.1 (bearer JWTs from a real OpenID Connect issuer on loopback) and section 3.6 (RFC 9421
/// signed responses under the published key), end to end.
/// </summary>
public sealed class RdapFederationAndSignatureTests : IAsyncLifetime
{
    private TestIssuer _issuer = null!;
    private TestServer _server = null!;
    private TestSigningKey _key = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _key = _issuer.NewEcKey("k1");
        _issuer.Publish(_key);
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:FederatedIssuers:0:Name"] = "corp",
            ["RepSec:Rdap:FederatedIssuers:0:Issuer"] = _issuer.Issuer,
            ["RepSec:Rdap:FederatedIssuers:0:Audiences:0"] = TestIssuer.Audience,
            ["RepSec:Rdap:FederatedIssuers:0:CaCertificate"] = _issuer.CaPath,
        });
        var token = await _server.IssueTokenAsync("alice", Core.Security.Role.Registrant);
        await _server.SetContactAsync("alice", new Dictionary<string, string> { ["fn"] = "Alice Example", ["email"] = "alice@example.net" });
        await using var client = await RepSec.Client.RepSecClient.ConnectAsync("127.0.0.1", _server.Port,
            new RepSec.Client.RepSecClientOptions { CaCertificatePath = _server.CaPath, Token = token });
        await client.RegisterAsync("example.com", "domain");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_jwt_from_the_configured_issuer_authenticates_and_its_role_claim_picks_the_tier()
    {
        using var http = Http();
        var auditor = _issuer.CreateToken(_key, DateTimeOffset.UtcNow, d => d.Claims["roles"] = new[] { "auditor" });
        using var privileged = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        privileged.Headers.Authorization = new("Bearer", auditor);
        var json = await (await http.SendAsync(privileged)).Content.ReadAsStringAsync();
        Assert.Contains("alice@example.net", json, StringComparison.Ordinal);

        var plain = _issuer.CreateToken(_key, DateTimeOffset.UtcNow);
        using var authenticated = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        authenticated.Headers.Authorization = new("Bearer", plain);
        var body = JsonNode.Parse(await (await http.SendAsync(authenticated)).Content.ReadAsStringAsync())!;
        Assert.Equal("principal:alice", (string?)body["entities"]![0]!["handle"]);
        Assert.DoesNotContain("alice@example.net", body.ToJsonString(), StringComparison.Ordinal);

        var expired = _issuer.CreateToken(_key, DateTimeOffset.UtcNow.AddHours(-2));
        var otherAudience = _issuer.CreateToken(_key, DateTimeOffset.UtcNow, d => d.Audience = "https://elsewhere.example/");
        foreach (var rejected in (string[])[expired, otherAudience, plain[..^4] + "AAAA"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
            request.Headers.Authorization = new("Bearer", rejected);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Responses_are_signed_when_asked_and_verify_against_the_published_key()
    {
        using var http = Http();
        using var unsigned = await http.GetAsync("domain/example.com");
        Assert.False(unsigned.Headers.Contains("Signature"));

        var keys = await http.GetStringAsync(new Uri(_server.RdapBase, "/.well-known/http-message-signatures-directory"));
        Assert.True(HttpSignatureKeySet.TryParse(keys, out var published));
        Assert.DoesNotContain("\"d\"", keys, StringComparison.Ordinal);

        using var client = new RdapClient(_server.RdapBase, new RdapClientOptions { CaCertificatePath = _server.CaPath, VerifySignatures = true });
        using var answer = await client.DomainAsync("example.com");
        Assert.True(answer.SignatureVerified);

        using var request = new HttpRequestMessage(HttpMethod.Get, "domain/example.com");
        request.Headers.TryAddWithoutValidation("Accept-Signature", "rdap=(\"@status\")");
        using var signed = await http.SendAsync(request);
        var bytes = await signed.Content.ReadAsByteArrayAsync();
        var digest = string.Join(",", signed.Headers.GetValues("Content-Digest"));
        Assert.True(ContentDigest.Verify(digest, bytes));
        Assert.False(ContentDigest.Verify(digest, [.. bytes, (byte)' ']));
        var requestComponents = new HttpRequestComponents("GET", "https", $"127.0.0.1:{_server.RdapPort}", "/rdap/domain/example.com", []);
        HttpResponseComponents Response(int status) => new(status,
            [new("content-type", signed.Content.Headers.ContentType!.ToString()), new("content-digest", digest)], requestComponents);
        var input = string.Join(",", signed.Headers.GetValues("Signature-Input"));
        var signature = string.Join(",", signed.Headers.GetValues("Signature"));
        var policy = new VerificationPolicy { RequiredComponents = ["@status", "content-digest"], RequiredTag = "rdap" };
        Assert.True(HttpMessageVerifier.Verify(Response(200), input, signature, id => published.FirstOrDefault(k => k.KeyId == id), policy, DateTimeOffset.UtcNow).IsValid);
        Assert.False(HttpMessageVerifier.Verify(Response(404), input, signature, id => published.FirstOrDefault(k => k.KeyId == id), policy, DateTimeOffset.UtcNow).IsValid);
    }

    private HttpClient Http() => _server.RdapHttp();
}
