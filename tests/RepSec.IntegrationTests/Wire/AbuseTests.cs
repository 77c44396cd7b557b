using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>Authentication-failure throttling, connection caps and idle timeouts, on a server configured tight.</summary>
public sealed class AbuseTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RepSec:RateLimits:AuthFailuresPerMinute"] = "3",
        ["RepSec:MaxConnectionsPerAddress"] = "4",
        ["RepSec:IdleTimeoutSeconds"] = "1",
        ["RepSec:HandshakeTimeoutSeconds"] = "1",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Repeated_authentication_failures_from_one_address_are_throttled_even_for_good_tokens()
    {
        var good = await _server.IssueTokenAsync("victim", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        var errors = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            errors.Add((await wire.RequestAsync(Requests.Audit("x.example", $"rs_{i:D16}_{new string('A', 43)}"))).Error());
        }

        var withGoodToken = await wire.RequestAsync(Requests.Audit("x.example", good));

        Assert.Equal(["auth_failed", "auth_failed", "auth_failed", "auth_throttled", "auth_throttled"], errors);
        Assert.Equal((429, "auth_throttled"), (withGoodToken.Status(), withGoodToken.Error()));
        Assert.True(withGoodToken.GetProperty("retry_after").GetInt32() >= 1);
        Assert.Contains(_server.Logs.Lines, l => l.Contains("Authentication failed from 127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connections_beyond_the_per_address_cap_are_refused_and_existing_ones_keep_serving()
    {
        var open = new List<WireConnection>();
        try
        {
            // Other tests of this class may hold connections too; fill up to the cap whatever they hold.
            Exception? refused = null;
            for (var i = 0; i < 8 && refused is null; i++)
            {
                try
                {
                    var connection = await _server.ConnectAsync();
                    var pong = await connection.RequestAsync("""{"command":"PING"}""");
                    open.Add(connection);
                }
                catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
                {
                    refused = exception;
                }
            }

            Assert.NotNull(refused);
            Assert.InRange(open.Count, 1, 4);
            Assert.Equal(200, (await open[0].RequestAsync("""{"command":"HELLO"}""")).Status());
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Idle_connections_are_closed()
    {
        await using var wire = await _server.ConnectAsync();

        // The server closes after one idle second; the read returns end-of-stream well within the bound.
        Assert.Null(await wire.ReadLineAsync(timeoutSeconds: 15));
    }

    [Fact]
    public async Task A_client_that_never_finishes_the_tls_handshake_is_dropped()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        // Send half a ClientHello's worth of nothing: the server gives up after its one-second handshake timeout.
        var read = await tcp.GetStream().ReadAsync(new byte[1024], timeout.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Trickling_bytes_of_an_unfinished_line_does_not_keep_a_connection_open()
    {
        await using var wire = await _server.ConnectAsync();
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await wire.SendAsync(" ");
                    await Task.Delay(200, stop.Token);
                }
                catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
            }
        });

        // The server closes one idle second after the last complete line, however many bytes trickle in.
        var closed = await wire.ReadLineAsync(timeoutSeconds: 10);
        await stop.CancelAsync();
        await trickle;

        Assert.Null(closed);
    }
}
