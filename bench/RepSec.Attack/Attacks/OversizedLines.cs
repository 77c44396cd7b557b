using System.Text;

namespace RepSec.Attack.Attacks;

/// <summary>Lines past MaxLineBytes (70,000 bytes, no newline), one per fresh connection, again and again.</summary>
internal static class OversizedLines
{
    private static readonly byte[] Line = Encoding.ASCII.GetBytes("{\"command\":\"PING\",\"id\":\"" + new string('a', 70_000));

    public static Task RunAsync(Net net, Tally tally, int connections, CancellationToken stop) =>
        Pool.HoldAsync(connections, slot => AttackSettings.AttackerAddress(slot % 4),
            async (source, cancellationToken) => await net.TlsAsync(source, net.Settings.RepSecPort, Net.RepSecAlpn, cancellationToken),
            async (stream, started, cancellationToken) =>
            {
                tally.Request();
                var send = stream.WriteAsync(Line, cancellationToken).AsTask();
                var answer = new StreamReader(stream, leaveOpen: true);
                var line = await answer.ReadLineAsync(cancellationToken);
                try
                {
                    await send;
                    tally.Sent(Line.Length);
                }
                catch (IOException)
                {
                    // closed before it took the whole line
                }

                var error = line is null ? "no answer" : line.Contains("message_too_large", StringComparison.Ordinal) ? "message_too_large" : "other answer";
                return error + ", then " + await Pool.UntilClosedAsync(stream, started, cancellationToken);
            },
            tally, stop, pauseMilliseconds: 0);
}
