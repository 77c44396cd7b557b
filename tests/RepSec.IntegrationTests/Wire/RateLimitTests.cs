using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>Per-address token buckets answer 429 with retry_after.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RepSec:RateLimits:PerAddressPerSecond"] = "10",
        ["RepSec:RateLimits:PerAddressBurst"] = "40",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Bursts_beyond_the_address_limit_get_429_with_retry_after_and_the_connection_stays_open()
    {
        await using var wire = await _server.ConnectAsync();
        var statuses = new List<int>();
        System.Text.Json.JsonElement limited = default;
        for (var i = 0; i < 60; i++)
        {
            var response = await wire.RequestAsync("""{"command":"PING"}""");
            statuses.Add(response.Status());
            if (response.Status() == 429)
            {
                limited = response;
            }
        }

        Assert.Contains(200, statuses);
        Assert.Contains(429, statuses);
        Assert.Equal("rate_limited", limited.Error());
        Assert.True(limited.GetProperty("retry_after").GetInt32() >= 1);
    }
}
