using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>PROTOCOL.md section 5: order of checks, stale timestamps, replayed nonces.</summary>
public sealed class ReplayTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _token = await _server.IssueTokenAsync("alice", Role.Registrant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_replayed_request_is_refused_even_for_a_different_entity()
    {
        await using var wire = await _server.ConnectAsync();
        var nonce = Requests.Nonce();
        var timestamp = Requests.Now();

        var first = await wire.RequestAsync(Requests.Register("one.example", "domain", _token, nonce, timestamp));
        var replay = await wire.RequestAsync(Requests.Register("one.example", "domain", _token, nonce, timestamp));
        var reused = await wire.RequestAsync(Requests.Register("two.example", "domain", _token, nonce, Requests.Now()));

        Assert.Equal(200, first.Status());
        Assert.Equal((409, "replayed_nonce"), (replay.Status(), replay.Error()));
        Assert.Equal((409, "replayed_nonce"), (reused.Status(), reused.Error()));
        Assert.Equal(404, (await wire.RequestAsync(Requests.Verify("two.example", "domain"))).Status());
    }

    [Fact]
    public async Task Nonces_are_per_principal()
    {
        var other = await _server.IssueTokenAsync("bob", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        var nonce = Requests.Nonce();

        Assert.Equal(200, (await wire.RequestAsync(Requests.Register("a1.example", "domain", _token, nonce))).Status());
        Assert.Equal(200, (await wire.RequestAsync(Requests.Register("b1.example", "domain", other, nonce))).Status());
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86400)]
    public async Task Timestamps_outside_the_window_get_401_with_server_time(int offsetSeconds)
    {
        await using var wire = await _server.ConnectAsync();

        var response = await wire.RequestAsync(Requests.Register("stale.example", "domain", _token, timestamp: Requests.Now(offsetSeconds)));

        Assert.Equal((401, "stale_timestamp"), (response.Status(), response.Error()));
        Assert.True(DateTimeOffset.TryParse(response.Str("server_time"), out var serverTime));
        Assert.InRange((DateTimeOffset.UtcNow - serverTime).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Authentication_is_checked_before_freshness_and_freshness_before_the_nonce()
    {
        await using var wire = await _server.ConnectAsync();
        var nonce = Requests.Nonce();

        var badToken = await wire.RequestAsync(Requests.Register("order.example", "domain", "rs_bad", nonce, Requests.Now(-1000)));
        var stale = await wire.RequestAsync(Requests.Register("order.example", "domain", _token, nonce, Requests.Now(-1000)));
        var fresh = await wire.RequestAsync(Requests.Register("order.example", "domain", _token, nonce));

        Assert.Equal("auth_failed", badToken.Error());
        Assert.Equal("stale_timestamp", stale.Error());
        Assert.Equal(200, fresh.Status()); // the stale attempt did not burn the nonce
    }

    [Fact]
    public async Task Read_commands_that_carry_a_nonce_get_the_same_checks()
    {
        await using var wire = await _server.ConnectAsync();
        var line = $$"""{"command":"VERIFY","entity":"x.example","nonce":"{{Requests.Nonce()}}","timestamp":"{{Requests.Now()}}"}""";

        Assert.Equal(404, (await wire.RequestAsync(line)).Status());
        Assert.Equal("replayed_nonce", (await wire.RequestAsync(line)).Error());
        Assert.Equal("missing_parameter", (await wire.RequestAsync($$"""{"command":"PING","nonce":"{{Requests.Nonce()}}"}""")).Error());
    }
}
