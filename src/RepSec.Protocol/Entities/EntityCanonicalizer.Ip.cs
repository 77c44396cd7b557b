using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RepSec.Protocol.Entities;

public static partial class EntityCanonicalizer
{
    private static (string?, string) CanonicalizeIp(string input)
    {
        const string Invalid = "not a valid IP address or prefix";
        var slash = input.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? input.AsSpan() : input.AsSpan(0, slash);
        if (!TryParseAddress(addressText, out var address))
        {
            return (null, Invalid);
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            // An IPv4-mapped address (::ffff:192.0.2.1) is that IPv4 host, and the same entity.
            return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : Format(address), "");
        }

        var lengthText = input.AsSpan(slash + 1);
        if (lengthText.IsEmpty || lengthText.Length > 3 || (lengthText.Length > 1 && lengthText[0] == '0') || !IsAsciiDigits(lengthText)
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > bits)
        {
            return (null, $"prefix length must be 0-{bits}");
        }

        // A full-length prefix is the address itself; otherwise host bits are cleared: 192.0.2.7/24 is 192.0.2.0/24.
        if (length == bits)
        {
            return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : Format(address), "");
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return ($"{Format(new IPAddress(bytes))}/{length}", "");
    }

    /// <summary>
    /// RFC 5952 text: lowercase hex without leading zeros, the longest run of two or more zero groups (the first
    /// on a tie) as "::". Always hexadecimal: .NET would print ::c000:201 in the deprecated form ::192.0.2.1.
    /// </summary>
    private static string Format(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        Span<int> groups = stackalloc int[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = (bytes[2 * i] << 8) | bytes[(2 * i) + 1];
        }

        int bestStart = -1, bestLength = 1;
        for (var i = 0; i < 8;)
        {
            var length = 0;
            while (i + length < 8 && groups[i + length] == 0)
            {
                length++;
            }

            if (length > bestLength)
            {
                (bestStart, bestLength) = (i, length);
            }

            i += Math.Max(length, 1);
        }

        var text = new StringBuilder(39);
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }

            if (text.Length > 0 && text[^1] != ':')
            {
                text.Append(':');
            }

            text.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// IPv4 only as four decimal octets without leading zeros (IPAddress.Parse also takes "1", "0x7f.1" and
    /// octal); IPv6 without zone or brackets.
    /// </summary>
    private static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            if (text.ContainsAny('%', '[', ']') || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = parsed;
            return true;
        }

        Span<byte> octets = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            var octet = text[range];
            if (part == 4 || octet.IsEmpty || octet.Length > 3 || (octet.Length > 1 && octet[0] == '0') || !IsAsciiDigits(octet)
                || !byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out octets[part]))
            {
                return false;
            }

            part++;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(octets);
        return true;
    }
}
