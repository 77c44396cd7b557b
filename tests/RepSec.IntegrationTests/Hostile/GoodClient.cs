using System.Net;
using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// The well-behaved client, on 127.0.0.1: a PING and a VERIFY of a registered domain over RepSec, and the RDAP
/// lookup of that domain. Each answer is checked for correctness, and the whole round within a generous bound
/// that catches a hang; how fast it is under attack is the attack tool's measurement, not a test's.
/// </summary>
internal sealed class GoodClient
{
    public const string Domain = "good.example";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly TestServer _server;

    private GoodClient(TestServer server) => _server = server;

    /// <summary>
    /// A test server with <paramref name="settings"/>, and anonymous RDAP limits raised: the good client checks as
    /// fast as it can, and being rate limited itself is not what these tests are about.
    /// </summary>
    public static Task<TestServer> StartServerAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "100000";
        settings["RepSec:Rdap:RateLimits:AnonymousBurst"] = "100000";
        return TestServer.StartAsync(settings);
    }

    public static async Task<GoodClient> StartAsync(TestServer server)
    {
        var token = await server.IssueTokenAsync("good", Role.Registrant);
        await using var wire = await server.ConnectAsync();
        var registered = await wire.RequestAsync(Requests.Register(Domain, "domain", token));
        Assert.Equal(200, registered.Status());
        return new GoodClient(server);
    }

    /// <summary>One round on a fresh connection (new connections are what caps and floods threaten).</summary>
    public async Task AssertServedAsync()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var wire = await _server.ConnectAsync().WaitAsync(timeout.Token);
        await AssertServedAsync(wire, timeout.Token);
        using var http = _server.RdapHttp();
        using var response = await http.GetAsync($"domain/{Domain}", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(Domain, body.RootElement.GetProperty("ldhName").GetString());
    }

    /// <summary>A PING and a VERIFY on a connection the caller holds.</summary>
    public static async Task AssertServedAsync(WireConnection wire, CancellationToken cancellationToken = default)
    {
        var pong = await wire.RequestAsync("""{"command":"PING","id":"good"}""").WaitAsync(cancellationToken);
        Assert.Equal((200, "good"), (pong.Status(), pong.Str("id")));
        var verified = await wire.RequestAsync(Requests.Verify(Domain, "domain")).WaitAsync(cancellationToken);
        Assert.Equal(200, verified.Status());
        Assert.True(verified.GetProperty("verified").GetBoolean());
    }

    /// <summary>Keeps checking until <paramref name="attack"/> ends (at least <paramref name="rounds"/> rounds), so the checks overlap it.</summary>
    public async Task AssertServedWhileAsync(Task attack, int rounds = 3)
    {
        for (var i = 0; i < rounds || !attack.IsCompleted; i++)
        {
            await AssertServedAsync();
        }
    }
}
