using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RepSec.Client;

// Parsing of server addresses as users write them.
public sealed partial class RepSecClient
{
    /// <summary>Splits <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or <c>[v6]</c> (a bare IPv6 address also works).</summary>
    /// <param name="hostPort">The address as the user wrote it.</param>
    /// <param name="defaultPort">The port when none is given.</param>
    /// <returns>The host (IPv6 without brackets) and the port.</returns>
    /// <exception cref="FormatException">The text is not a host with an optional port from 1 to 65535.</exception>
    public static (string Host, int Port) ParseServer(string hostPort, int defaultPort = DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        var text = hostPort.Trim();
        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw Invalid(hostPort, "expected [IPv6 address]:port");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                portText = rest[0] == ':' ? rest[1..] : throw Invalid(hostPort, "expected ':' after ']'");
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                host = text;
            }
            else if (colon == text.LastIndexOf(':'))
            {
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = IPAddress.TryParse(text, out _) ? text : throw Invalid(hostPort, "write IPv6 addresses with a port as [address]:port");
            }
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(hostPort, "no host");
        }

        var port = defaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Invalid(hostPort, "the port must be a number from 1 to 65535");
        }

        return (host, port);
    }

    private static FormatException Invalid(string hostPort, string reason) => new($"Invalid server address '{hostPort}': {reason}");
}
