using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Credential guessing from an attacker address: bad tokens on RepSec, bad Basic passwords on RDAP. The attacker is
/// throttled (429, auth_throttled / Retry-After); the good client on another address with good credentials is
/// not; and no guessed secret reaches the log.
/// </summary>
public sealed class BruteForceTests : IAsyncLifetime
{
    private const string Password = "good-client-password";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RepSec:RateLimits:AuthFailuresPerMinute"] = "3",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Token_guessing_is_throttled_for_the_attacker_only_and_no_guess_is_logged()
    {
        var good = await _server.IssueTokenAsync("good", Role.Registrant);
        var guesses = Enumerable.Range(0, 12).Select(i => $"rs_{i:D16}_{new string((char)('a' + i), 43)}").ToList();
        await using var tls = await Attacker.TlsAsync(Attacker.Address(12), _server.Port, _server.CaPath, new SslApplicationProtocol("repsec/1"));
        using var reader = new StreamReader(tls, leaveOpen: true);
        var errors = new List<string?>();
        foreach (var guess in guesses)
        {
            await tls.WriteAsync(Encoding.UTF8.GetBytes(Requests.Audit(GoodClient.Domain, guess) + "\n"));
            using var answer = JsonDocument.Parse(await reader.ReadLineAsync() ?? "{}");
            errors.Add(answer.RootElement.Error());
        }

        await using var wire = await _server.ConnectAsync();
        var served = await wire.RequestAsync(Requests.Register(GoodClient.Domain, "domain", good));

        Assert.Equal(["auth_failed", "auth_failed", "auth_failed"], errors.Take(3));
        Assert.All(errors.Skip(3), e => Assert.Equal("auth_throttled", e));
        Assert.Equal(200, served.Status());
        Assert.Contains(_server.Logs.Lines, l => l.Contains("Authentication failed from 127.0.0.12", StringComparison.Ordinal));
        Assert.All(guesses, guess => Assert.DoesNotContain(guess[20..], _server.Logs.All, StringComparison.Ordinal));
        Assert.DoesNotContain(good[20..], _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_password_guessing_is_throttled_for_the_attacker_only_and_no_guess_is_logged()
    {
        await _server.SetPasswordAsync("good", Role.Registrant, Password);
        var guesses = Enumerable.Range(0, 10).Select(i => $"wrong-password-{i:D4}").ToList();
        using var attacker = Attacker.Http(_server, Attacker.Address(13));
        var statuses = new List<int>();
        foreach (var guess in guesses)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "help") { Headers = { Authorization = Basic("good", guess) } };
            using var response = await attacker.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            }
        }

        using var http = _server.RdapHttp();
        using var good = new HttpRequestMessage(HttpMethod.Get, "help") { Headers = { Authorization = Basic("good", Password) } };
        using var served = await http.SendAsync(good);

        Assert.Equal([401, 401, 401], statuses.Take(3));
        Assert.All(statuses.Skip(3), s => Assert.Equal(429, s));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.All(guesses.Append(Password), secret => Assert.DoesNotContain(secret, _server.Logs.All, StringComparison.Ordinal));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
