using System.Globalization;
using System.Net;
using System.Text;

namespace RepSec.Attack.Attacks;

/// <summary>
/// Connections that write pipelined PINGs in 64 KB chunks as fast as the server takes them and never read an
/// answer. What the server buffers for them shows in its RSS; each connection's pushed bytes show where it stalled.
/// </summary>
internal static class Pipelining
{
    private static readonly byte[] Chunk = MakeChunk();

    public static Task RunAsync(Net net, Tally tally, int connections, IPAddress? only, CancellationToken stop) =>
        Pool.HoldAsync(connections, slot => only ?? AttackSettings.AttackerAddress(slot % 4),
            async (source, cancellationToken) => await net.TlsAsync(source, net.Settings.RepSecPort, Net.RepSecAlpn, cancellationToken),
            async (stream, started, cancellationToken) =>
            {
                long pushed = 0;
                try
                {
                    while (true)
                    {
                        await stream.WriteAsync(Chunk, cancellationToken);
                        pushed += Chunk.Length;
                        tally.Sent(Chunk.Length);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Buckets of 1 MB: how much one connection got in before its writes stalled.
                    return string.Create(CultureInfo.InvariantCulture, $"stalled after ~{Math.Round(pushed / (1024.0 * 1024)):F0} MB");
                }
            },
            tally, stop);

    private static byte[] MakeChunk()
    {
        var line = Encoding.ASCII.GetBytes("""{"command":"PING","id":"p"}""" + "\n");
        var chunk = new byte[line.Length * (65_536 / line.Length)];
        for (var offset = 0; offset < chunk.Length; offset += line.Length)
        {
            line.CopyTo(chunk, offset);
        }

        return chunk;
    }
}
