using System.Net;
using System.Net.Sockets;

namespace RepSec.Attack.Attacks;

/// <summary>
/// Connections that never complete a TLS handshake: a flood of plain TCP connections beyond the caps, held, and
/// handshake-and-hold (nothing, or the first bytes of a ClientHello, then silence).
/// </summary>
internal static class Floods
{
    // A TLS handshake record announcing a 512-byte ClientHello, and only its first bytes.
    private static readonly byte[] HalfClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03];

    /// <summary>
    /// <paramref name="perAddress"/> held connections from each of <paramref name="addresses"/> addresses (or all
    /// from <paramref name="only"/>), half to each port; refused ones are retried after 100 ms.
    /// </summary>
    public static Task FloodAsync(Net net, Tally tally, int addresses, int perAddress, IPAddress? only, CancellationToken stop) =>
        Pool.HoldAsync(addresses * perAddress, slot => only ?? AttackSettings.AttackerAddress(slot / perAddress),
            async (source, cancellationToken) => Raw(await net.ConnectAsync(source, Port(net), cancellationToken)),
            Pool.UntilClosedAsync, tally, stop, pauseMilliseconds: 100);

    /// <summary>Connections that stop inside the TLS handshake, spread over both ports; dropped ones are replaced.</summary>
    public static Task HandshakeHoldAsync(Net net, Tally tally, int connections, CancellationToken stop) =>
        Pool.HoldAsync(connections, slot => AttackSettings.AttackerAddress(slot / AttackSettings.PerAddress),
            async (source, cancellationToken) => Raw(await net.ConnectAsync(source, Port(net), cancellationToken)),
            async (stream, started, cancellationToken) =>
            {
                if (Random.Shared.Next(2) == 0)
                {
                    await stream.WriteAsync(HalfClientHello, cancellationToken);
                    tally.Sent(HalfClientHello.Length);
                }

                return await Pool.UntilClosedAsync(stream, started, cancellationToken);
            },
            tally, stop);

    private static int Port(Net net) => Random.Shared.Next(2) == 0 ? net.Settings.RepSecPort : net.Settings.RdapPort;

    private static NetworkStream Raw(Socket socket) => new(socket, ownsSocket: true);
}
