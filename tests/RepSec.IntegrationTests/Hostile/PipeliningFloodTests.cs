using System.Net.Security;
using System.Text;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// Clients that pipeline requests and never read the answers. The server's output is bounded (it waits on
/// backpressure rather than buffering), so the attacker's writes stall after a bounded amount; other clients are
/// served meanwhile, and the stalled connections are dropped after the idle timeout.
/// </summary>
public sealed class PipeliningFloodTests : IAsyncLifetime
{
    // Generous: the kernel's socket buffers on both sides, Kestrel's input pipes and a little output.
    private const long MaxPushedBytes = 32L * 1024 * 1024;

    private TestServer _server = null!;
    private GoodClient _good = null!;

    public async Task InitializeAsync()
    {
        _server = await GoodClient.StartServerAsync(new Dictionary<string, string?> { ["RepSec:IdleTimeoutSeconds"] = "3" });
        _good = await GoodClient.StartAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Writers_that_never_read_push_a_bounded_amount_and_are_dropped_while_the_good_client_is_served()
    {
        var source = Attacker.Address(11);
        var attackers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Attacker.TlsAsync(source, _server.Port, _server.CaPath, new SslApplicationProtocol("repsec/1"))));
        try
        {
            var attack = Task.WhenAll(attackers.Select(PushUntilDroppedAsync));
            await _good.AssertServedWhileAsync(attack);

            Assert.All(await attack, outcome =>
            {
                Assert.True(outcome.Dropped, $"not dropped after pushing {outcome.Pushed} bytes");
                Assert.InRange(outcome.Pushed, 1, MaxPushedBytes);
            });
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

    /// <summary>
    /// Writes pipelined PINGs in 64 KB chunks, never reading, until the server drops the connection (a write
    /// fails), the bound on pushed bytes is passed, or 30 seconds pass.
    /// </summary>
    private static async Task<(long Pushed, bool Dropped)> PushUntilDroppedAsync(SslStream tls)
    {
        var line = Encoding.ASCII.GetBytes("""{"command":"PING","id":"pipelined"}""" + "\n");
        var chunk = new byte[line.Length * (65_536 / line.Length)];
        for (var offset = 0; offset < chunk.Length; offset += line.Length)
        {
            line.CopyTo(chunk, offset);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long pushed = 0;
        try
        {
            while (pushed <= MaxPushedBytes)
            {
                await tls.WriteAsync(chunk, timeout.Token);
                pushed += chunk.Length;
            }

            return (pushed, false);
        }
        catch (IOException)
        {
            return (pushed, true);
        }
        catch (OperationCanceledException)
        {
            return (pushed, false);
        }
    }
}
