using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// The CrowdSec-compatible decisions API as a bouncer (and curl) reads it: authentication by X-Api-Key, the stream's
/// new and deleted lists per key, ranges, renewal before a ban lapses, and the lookup of one address.
/// </summary>
public sealed class DecisionsApiTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = null!;
    private string _firewall = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Reputation:TableRefreshMilliseconds"] = "50",
            ["RepSec:Reputation:ReputonTtlSeconds"] = "4",
        });
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _firewall = await _server.IssueTokenAsync("firewall", Role.Auditor);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CurlAnswer> GetAsync(string path, string? key) =>
        key is null ? Curl.GetAsync(_server.CaPath, $"https://127.0.0.1:{_server.RdapPort}{path}")
            : Curl.GetAsync(_server.CaPath, $"https://127.0.0.1:{_server.RdapPort}{path}", false, "-H", $"X-Api-Key: {key}");

    private async Task<(JsonElement[] New, JsonElement[] Deleted)> PollAsync(string key, bool startup)
    {
        var answer = await GetAsync($"/v1/decisions/stream?startup={(startup ? "true" : "false")}", key);
        Assert.Equal(200, answer.Status);
        var json = JsonDocument.Parse(answer.Body).RootElement;
        return ([.. json.GetProperty("new").EnumerateArray()], [.. json.GetProperty("deleted").EnumerateArray()]);
    }

    private async Task<JsonElement> ReportAsync(string entity, string assertion, double rating)
    {
        await using var wire = await _server.ConnectAsync();
        var answer = await wire.RequestAsync(ReputationRequests.Report(entity, _alice, assertion, rating, null, null));
        Assert.Equal(200, answer.Status());
        await Listings.SettledAsync(_server);
        return answer;
    }

    [Fact]
    public async Task Without_a_valid_api_key_the_answer_is_403_as_from_the_local_api()
    {
        foreach (var key in new[] { null, "", "not-a-token", _firewall + "x" })
        {
            var answer = await GetAsync("/v1/decisions/stream?startup=true", key);
            Assert.Equal(403, answer.Status);
            Assert.Equal("access forbidden", JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task The_stream_gives_each_key_new_bans_once_then_deletions_with_the_same_ids()
    {
        await ReportAsync("192.0.2.7", "spam", 0.9);
        await ReportAsync("198.51.100.0/24", "malware", 0.8);
        var withdrawn = await ReportAsync("203.0.113.5", "abuse", 0.7);
        await ReportAsync("low.example", "spam", 0.9);                 // a domain: no firewall bans it

        var (added, deleted) = await PollAsync(_firewall, startup: true);
        Assert.Empty(deleted);
        var byValue = added.ToDictionary(d => d.GetProperty("value").GetString()!);
        Assert.Equal(["192.0.2.7", "198.51.100.0/24", "203.0.113.5"], byValue.Keys.Order(StringComparer.Ordinal));
        var ban = byValue["192.0.2.7"];
        Assert.Equal(("ban", "Ip", "repsec", "repsec/spam"), (ban.GetProperty("type").GetString(), ban.GetProperty("scope").GetString(),
            ban.GetProperty("origin").GetString(), ban.GetProperty("scenario").GetString()));
        Assert.Matches("^0h0m[34]s$", ban.GetProperty("duration").GetString());
        Assert.Equal("Range", byValue["198.51.100.0/24"].GetProperty("scope").GetString());

        var quiet = await PollAsync(_firewall, startup: false);
        Assert.Empty(quiet.New);
        Assert.Empty(quiet.Deleted);

        await using (var wire = await _server.ConnectAsync())
        {
            Assert.Equal(200, (await wire.RequestAsync(ReputationRequests.Withdraw(withdrawn.GetProperty("report_id").GetInt64(), _alice))).Status());
        }

        await Listings.SettledAsync(_server);
        var after = await PollAsync(_firewall, startup: false);
        var gone = Assert.Single(after.Deleted);
        Assert.Equal(("203.0.113.5", byValue["203.0.113.5"].GetProperty("id").GetInt64()), (gone.GetProperty("value").GetString(), gone.GetProperty("id").GetInt64()));

        // Another key has a position of its own: everything current is new to it.
        var other = await _server.IssueTokenAsync("proxy", Role.Auditor);
        Assert.Equal(2, (await PollAsync(other, startup: false)).New.Length);
        // scopes=ip leaves ranges out.
        var onlyIps = JsonDocument.Parse((await GetAsync("/v1/decisions/stream?startup=true&scopes=ip", other)).Body).RootElement;
        Assert.Equal("192.0.2.7", Assert.Single(onlyIps.GetProperty("new").EnumerateArray()).GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_ban_still_listed_is_renewed_before_it_lapses()
    {
        await ReportAsync("192.0.2.7", "spam", 0.9);
        var first = Assert.Single((await PollAsync(_firewall, startup: true)).New);
        // Bans last ReputonTtlSeconds (4 s here); past half of that, the next poll sends the ban again, fresh.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var renewed = Assert.Single((await PollAsync(_firewall, startup: false)).New);
        Assert.Equal("192.0.2.7", renewed.GetProperty("value").GetString());
        Assert.True(renewed.GetProperty("until").GetDateTimeOffset() > first.GetProperty("until").GetDateTimeOffset());
    }

    [Fact]
    public async Task Looking_up_an_address_gives_the_bans_that_cover_it_or_null()
    {
        await ReportAsync("198.51.100.0/24", "malware", 0.8);
        await ReportAsync("198.51.100.9", "spam", 1);
        var answer = await GetAsync("/v1/decisions?ip=198.51.100.9", _firewall);
        Assert.Equal(200, answer.Status);
        var decisions = JsonDocument.Parse(answer.Body).RootElement.EnumerateArray().ToDictionary(d => d.GetProperty("value").GetString()!);
        Assert.Equal(["198.51.100.0/24", "198.51.100.9"], decisions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Range", decisions["198.51.100.0/24"].GetProperty("scope").GetString());
        Assert.Equal("null", (await GetAsync("/v1/decisions?ip=192.0.2.1", _firewall)).Body);
        Assert.Equal(400, (await GetAsync("/v1/decisions?ip=not-an-address", _firewall)).Status);
        Assert.Equal(400, (await GetAsync("/v1/decisions/stream?startup=maybe", _firewall)).Status);
    }
}
