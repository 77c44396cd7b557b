using System.Net.Sockets;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// A flood from many addresses that reaches the total cap: the total cap is the server's own protection, so new
/// connections from everyone, the good client included, are refused while it is full; connections already open
/// keep being served, and new ones are accepted again once the flood's connections time out.
/// </summary>
public sealed class TotalCapTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GoodClient _good = null!;

    public async Task InitializeAsync()
    {
        _server = await GoodClient.StartServerAsync(new Dictionary<string, string?>
        {
            ["RepSec:MaxConnections"] = "24",
            ["RepSec:MaxConnectionsPerAddress"] = "16",
            ["RepSec:HandshakeTimeoutSeconds"] = "2",
        });
        _good = await GoodClient.StartAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task At_the_total_cap_open_connections_keep_serving_and_new_ones_are_accepted_once_the_flood_times_out()
    {
        await using var held = await _server.ConnectAsync();
        await GoodClient.AssertServedAsync(held);
        var flood = new List<Socket>();
        try
        {
            for (var address = 7; address <= 9; address++)
            {
                for (var i = 0; i < 16; i++)
                {
                    if (await Attacker.TryConnectAsync(Attacker.Address(address), _server.Port) is { } socket)
                    {
                        flood.Add(socket);
                    }
                }
            }

            await GoodClient.AssertServedAsync(held);
            var closed = await Task.WhenAll(flood.Select(socket => Attacker.ClosedWithinAsync(new NetworkStream(socket), TimeSpan.FromSeconds(30))));

            Assert.All(closed, Assert.True);
            Assert.Contains(_server.Logs.Lines, l => l.Contains(": total_cap", StringComparison.Ordinal));
            await GoodClient.AssertServedAsync(held);
            await _good.AssertServedAsync();
        }
        finally
        {
            foreach (var socket in flood)
            {
                socket.Dispose();
            }
        }
    }
}
