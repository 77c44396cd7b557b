using System.Net.Security;
using System.Text;
using System.Text.Json;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>Lines past MaxLineBytes, again and again on fresh connections, from several connections at once.</summary>
public sealed class OversizedLineTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GoodClient _good = null!;

    public async Task InitializeAsync()
    {
        _server = await GoodClient.StartServerAsync();
        _good = await GoodClient.StartAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Repeated_oversized_lines_are_each_refused_with_message_too_large_and_the_good_client_is_served_meanwhile()
    {
        var source = Attacker.Address(10);
        // Past the 65,536-byte limit and no newline: the server answers as soon as the limit is crossed.
        var line = Encoding.ASCII.GetBytes("{\"command\":\"PING\",\"id\":\"" + new string('a', 70_000));
        var attack = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var errors = new List<string?>();
            for (var i = 0; i < 5; i++)
            {
                await using var tls = await Attacker.TlsAsync(source, _server.Port, _server.CaPath, new SslApplicationProtocol("repsec/1"));
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var send = tls.WriteAsync(line, timeout.Token).AsTask();
                using var reader = new StreamReader(tls, leaveOpen: true);
                var answer = await reader.ReadLineAsync(timeout.Token);
                errors.Add(answer is null ? null : JsonDocument.Parse(answer).RootElement.Error());
                Assert.Null(await reader.ReadLineAsync(timeout.Token));
                try
                {
                    await send;
                }
                catch (IOException)
                {
                    // the server closed before taking the rest of the line: expected
                }
            }

            return errors;
        }));

        await _good.AssertServedWhileAsync(attack);

        Assert.All((await attack).SelectMany(e => e), e => Assert.Equal("message_too_large", e));
    }
}
