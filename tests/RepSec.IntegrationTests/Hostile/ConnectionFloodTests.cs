using System.Net.Sockets;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Connection floods beyond the per-address cap, and handshake-and-hold (TCP connected, then nothing or half a
/// ClientHello): refused at once beyond the cap, dropped after the handshake timeout within it, and a good client
/// on another address is served throughout.
/// </summary>
public sealed class ConnectionFloodTests : IAsyncLifetime
{
    private const int PerAddress = 16;

    private TestServer _server = null!;
    private GoodClient _good = null!;

    public async Task InitializeAsync()
    {
        _server = await GoodClient.StartServerAsync(new Dictionary<string, string?>
        {
            ["RepSec:MaxConnectionsPerAddress"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RepSec:HandshakeTimeoutSeconds"] = "3",
        });
        _good = await GoodClient.StartAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_flood_beyond_the_per_address_cap_is_refused_while_a_good_client_on_another_address_is_served()
    {
        using var rejected = new RejectedConnections(_server);
        var source = Attacker.Address(4);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Attacker.TryConnectAsync(source, i % 2 == 0 ? _server.Port : _server.RdapPort)));
        var flood = attempts.OfType<Socket>().ToList();
        try
        {
            // While the flood is held (within the handshake timeout), a new connection from 127.0.0.1 is served.
            await _good.AssertServedAsync();

            var closed = await Task.WhenAll(flood.Select(socket => Attacker.ClosedWithinAsync(new NetworkStream(socket), TimeSpan.FromSeconds(30))));
            Assert.All(closed, Assert.True);
            Assert.InRange(rejected["address_cap"], 100, 200 - PerAddress);
            // Each refusal is counted, but the log gets a line per ten seconds at most: a flood does not flood it.
            var logged = _server.Logs.Lines.Where(l => l.Contains("Refused a connection from", StringComparison.Ordinal)).ToList();
            Assert.Single(logged);
            Assert.Contains($"Refused a connection from {source}: address_cap (0 other refusals", logged[0], StringComparison.Ordinal);
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

    [Fact]
    public async Task Connections_that_hold_an_unfinished_handshake_are_dropped_and_the_good_client_is_served_meanwhile()
    {
        var silent = Attacker.Address(5);
        var partial = Attacker.Address(6);
        // A TLS handshake record header announcing 512 bytes of ClientHello, and only the first few of them.
        byte[] halfHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03];
        var sockets = new List<Socket>();
        try
        {
            foreach (var port in new[] { _server.Port, _server.RdapPort })
            {
                for (var i = 0; i < PerAddress / 2; i++)
                {
                    sockets.Add(await Attacker.ConnectAsync(silent, port));
                    var socket = await Attacker.ConnectAsync(partial, port);
                    await socket.SendAsync(halfHello);
                    sockets.Add(socket);
                }
            }

            var closed = sockets.Select(socket => Attacker.ClosedWithinAsync(new NetworkStream(socket), TimeSpan.FromSeconds(30))).ToList();
            await _good.AssertServedWhileAsync(Task.WhenAll(closed));

            Assert.All(await Task.WhenAll(closed), Assert.True);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
