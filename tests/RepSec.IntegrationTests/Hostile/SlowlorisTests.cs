using System.Net.Security;
using System.Text;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Slowloris: many connections from one attacker address, each trickling bytes that never finish a request. The
/// server closes them (RepSec: the idle timeout counts only complete lines; RDAP: the request headers timeout)
/// and serves the good client meanwhile.
/// </summary>
public sealed class SlowlorisTests : IAsyncLifetime
{
    private const int Connections = 32;

    private TestServer _server = null!;
    private GoodClient _good = null!;

    public async Task InitializeAsync()
    {
        _server = await GoodClient.StartServerAsync(new Dictionary<string, string?>
        {
            ["RepSec:IdleTimeoutSeconds"] = "2",
            ["RepSec:RequestHeadersTimeoutSeconds"] = "2",
        });
        _good = await GoodClient.StartAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connections_trickling_an_unfinished_line_are_closed_and_the_good_client_is_served_meanwhile()
    {
        var source = Attacker.Address(2);
        var attackers = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ =>
            Attacker.TlsAsync(source, _server.Port, _server.CaPath, new SslApplicationProtocol("repsec/1"))));
        await AssertTricklersClosedAsync(attackers, """{"command":"PING","id":"""u8.ToArray());
    }

    [Fact]
    public async Task Connections_trickling_request_headers_are_closed_and_the_good_client_is_served_meanwhile()
    {
        var source = Attacker.Address(3);
        var attackers = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ =>
            Attacker.TlsAsync(source, _server.RdapPort, _server.CaPath, SslApplicationProtocol.Http11)));
        await AssertTricklersClosedAsync(attackers, Encoding.ASCII.GetBytes($"GET /rdap/domain/{GoodClient.Domain} HTTP/1.1\r\nHost: localhost\r\n"));
    }

    private async Task AssertTricklersClosedAsync(SslStream[] attackers, byte[] opening)
    {
        using var stop = new CancellationTokenSource();
        try
        {
            var trickles = attackers.Select(tls => TrickleAsync(tls, opening, stop.Token)).ToList();
            var closed = attackers.Select(tls => Attacker.ClosedWithinAsync(tls, TimeSpan.FromSeconds(30))).ToList();

            await _good.AssertServedWhileAsync(Task.WhenAll(closed));

            Assert.All(await Task.WhenAll(closed), Assert.True);
            await stop.CancelAsync();
            await Task.WhenAll(trickles);
            await _good.AssertServedAsync();
        }
        finally
        {
            foreach (var tls in attackers)
            {
                await tls.DisposeAsync();
            }
        }
    }

    /// <summary>The opening of a request, then one byte of an endless header or string every 100 ms.</summary>
    private static async Task TrickleAsync(SslStream tls, byte[] opening, CancellationToken cancellationToken)
    {
        try
        {
            await tls.WriteAsync(opening, cancellationToken);
            var filler = opening[0] == (byte)'{' ? "\"aaaaaaaa"u8.ToArray() : "X-Slow: aaaaaaaa"u8.ToArray();
            for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                await tls.WriteAsync(filler.AsMemory(Math.Min(i, filler.Length - 1), 1), cancellationToken);
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            // closed by the server (the point), or stopped
        }
    }
}
