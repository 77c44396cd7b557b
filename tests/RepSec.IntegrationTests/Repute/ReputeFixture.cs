using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;

namespace RepSec.IntegrationTests.Repute;

/// <summary>
/// A server with reports to read over RFC 7072 and RDAP. alice registers one object of each type, and
/// <c>both.example</c> as a domain and as a user id; bob and carol report on them and on <c>spam.example</c>, which
/// nobody registered; root (admin) allowlists
/// <c>allowed.example</c>. Every write happens here, so the tests only read: the assertion norms, which the server
/// caches for a second, cannot move between the two reads a test compares. Decay is off, so the values are exact.
/// </summary>
public sealed class ReputeFixture : IAsyncLifetime
{
    public const string Collection = "repute";
    public const int ReputonTtlSeconds = 600;
    public const string AllowlistReason = "the operator's own mail domain";

    public TestServer Server { get; private set; } = null!;

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Reputation:HalfLifeDays"] = "0",
            ["RepSec:Reputation:ReputonTtlSeconds"] = ReputonTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "100000",
            ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "100000",
        });
        var alice = await Server.IssueTokenAsync("alice", Role.Registrant);
        var bob = await Server.IssueTokenAsync("bob", Role.Registrant);
        var carol = await Server.IssueTokenAsync("carol", Role.Registrant);
        AdminToken = await Server.IssueTokenAsync("root", Role.Admin);

        await using var wire = await Server.ConnectAsync();
        foreach (var (entity, type) in new[]
        {
            ("example.com", "domain"), ("192.0.2.0/24", "ip"), ("AS64500", "asn"), ("alice@example.com", "userid"),
            ("Acme Corp", "organization"), ("allowed.example", "domain"), ("quiet.example", "domain"),
            ("both.example", "domain"), ("both.example", "userid"),
        })
        {
            await ExpectOkAsync(wire, Requests.Register(entity, type, alice));
        }

        await ExpectOkAsync(wire, Report(bob, "example.com", "domain", "spam", 0.9, 0.8));
        await ExpectOkAsync(wire, Report(carol, "example.com", "domain", "spam", 0.5, 1));
        await ExpectOkAsync(wire, Report(bob, "example.com", "domain", "phishing", 0.2, 0.5));
        await ExpectOkAsync(wire, Report(bob, "192.0.2.0/24", "ip", "abuse", 0.7, 1));
        await ExpectOkAsync(wire, Report(carol, "AS64500", "asn", "malware", 0.4, 1));
        await ExpectOkAsync(wire, Report(bob, "alice@example.com", "userid", "spam", 0.3, 1));
        await ExpectOkAsync(wire, Report(carol, "Acme Corp", "organization", "trustworthy", 0.9, 1));
        await ExpectOkAsync(wire, Report(bob, "allowed.example", "domain", "spam", 1, 1));
        await ExpectOkAsync(wire, Report(bob, "spam.example", "domain", "spam", 1, 1));
        await ExpectOkAsync(wire, Report(carol, "both.example", "domain", "spam", 0.6, 1));
        await ExpectOkAsync(wire, ReputationRequests.Allowlist("allowed.example", AdminToken, "add", AllowlistReason));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public HttpClient Http() => Server.RdapHttp();

    /// <summary>An absolute path on the HTTPS listener (outside <c>/rdap/</c>).</summary>
    public Uri Url(string path) => new(Server.RdapBase, path);

    /// <summary>A REPUTATION answer over RepSec, read anonymously; untyped when <paramref name="type"/> is null.</summary>
    public async Task<JsonElement> ReputationAsync(string entity, string? type)
    {
        await using var wire = await Server.ConnectAsync();
        var line = type is null
            ? JsonSerializer.Serialize(new { command = "REPUTATION", entity })
            : JsonSerializer.Serialize(new { command = "REPUTATION", entity, type });
        var response = await wire.RequestAsync(line);
        Assert.True(response.Status() == 200, response.ToString());
        return response;
    }

    private static string Report(string token, string entity, string type, string assertion, double rating, double confidence) =>
        ReputationRequests.Report(entity, token, assertion, rating, confidence, new { type });

    private static async Task ExpectOkAsync(WireConnection wire, string line)
    {
        var response = await wire.RequestAsync(line);
        if (response.Status() != 200)
        {
            throw new InvalidOperationException($"fixture request failed: {line} -> {response}");
        }
    }
}

[CollectionDefinition(ReputeFixture.Collection)]
public sealed class ReputeFixtureGroup : ICollectionFixture<ReputeFixture>;
