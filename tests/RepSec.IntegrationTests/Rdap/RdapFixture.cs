using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using RepSec.Client;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// A server with a small registry to read over RDAP: alice (registrant, full contact data, password), audra
/// (auditor, password), bob (registrant, token and password) and their objects.
/// </summary>
public sealed class RdapFixture : IAsyncLifetime
{
    public const string AlicePassword = "alice-correct-horse";
    public const string AudraPassword = "audra-battery-staple";
    public const string BobPassword = "bob-password-123";

    public static readonly Dictionary<string, string> AliceContact = new()
    {
        ["fn"] = "Alice Example",
        ["org"] = "Example Holdings",
        ["email"] = "alice@example.net",
        ["tel"] = "+1.5555550100",
        ["street"] = "1 Main Street",
        ["locality"] = "Springfield",
        ["region"] = "IL",
        ["postal_code"] = "62701",
        ["country"] = "US",
    };

    /// <summary>
    /// True when the servers of this run serve the RDAP port with Kestrel alone (<c>RepSec__Rdap__Http1=kestrel</c> in
    /// the environment, as CI's second RDAP run sets it), rather than with repsecd's own HTTP/1.1 loop.
    /// </summary>
    public static bool KestrelHttp1 => Environment.GetEnvironmentVariable("RepSec__Rdap__Http1") == "kestrel";

    public TestServer Server { get; private set; } = null!;

    public string BobToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:PageSize"] = "2",
            ["RepSec:Rdap:MaxSearchResults"] = "4",
            ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "100000",
            ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "100000",
        });
        var aliceToken = await Server.IssueTokenAsync("alice", Role.Registrant);
        BobToken = await Server.IssueTokenAsync("bob", Role.Registrant);
        await Server.SetPasswordAsync("alice", Role.Registrant, AlicePassword);
        await Server.SetPasswordAsync("audra", Role.Auditor, AudraPassword);
        await Server.SetPasswordAsync("bob", Role.Registrant, BobPassword);
        await Server.SetContactAsync("alice", AliceContact);
        await Server.SetContactAsync("bob", new Dictionary<string, string> { ["fn"] = "Bob Builder", ["country"] = "DE" });

        await using (var alice = await ConnectAsync(aliceToken))
        {
            await alice.RegisterAsync("example.com", "domain", new JsonObject { ["note"] = "primary" });
            await alice.RegisterAsync("example.org", "domain");
            await alice.RegisterAsync("192.0.2.0/24", "ip");
            await alice.RegisterAsync("2001:db8::/32", "ip");
            await alice.RegisterAsync("AS64500", "asn");
            await alice.RegisterAsync("alice@example.com", "userid");
            await alice.RegisterAsync("Acme Corp", "organization");
        }

        await using (var bob = await ConnectAsync(BobToken))
        {
            await bob.RegisterAsync("münchen.de", "domain");
            await bob.RegisterAsync("192.0.2.128/25", "ip");
            await bob.RegisterAsync("exact.example", "domain");
            await bob.RegisterAsync("extra.example", "domain");
            await bob.RegisterAsync("eu.example", "domain");
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<RepSecClient> ConnectAsync(string token) =>
        RepSecClient.ConnectAsync("127.0.0.1", Server.Port, new RepSecClientOptions { CaCertificatePath = Server.CaPath, Token = token });

    public HttpClient Http(X509Certificate2? certificate = null, NetworkCredential? digest = null) => Server.RdapHttp(certificate, digest);

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
