using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Strict syntax checks for the string formats the RDAP schemas name. NJsonSchema's own checks are lenient by design
/// (any DateTime.TryParse-able text is a "date-time"), which is not what a conformance harness wants.
/// </summary>
internal static partial class TextSyntax
{
    // A fresh mapping per use: IdnMapping makes no thread-safety promise and the tests run in parallel.
    private static IdnMapping Idna => new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>RFC 3339 §5.6 date-time; a leap second (:60) is allowed as RFC 3339 allows it.</summary>
    public static bool IsDateTime(string value)
    {
        var match = DateTimePattern().Match(value);
        return match.Success && IsDate(match.Groups["date"].Value) && IsTime(match.Groups["time"].Value);
    }

    /// <summary>RFC 3339 full-date.</summary>
    public static bool IsDate(string value)
    {
        var match = DatePattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var (year, month, day) = (Number(match, "y"), Number(match, "m"), Number(match, "d"));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    /// <summary>RFC 3339 full-time: the offset is required.</summary>
    public static bool IsTime(string value)
    {
        var match = TimePattern().Match(value);
        return match.Success && Number(match, "h") <= 23 && Number(match, "min") <= 59 && Number(match, "s") <= 60
            && (!match.Groups["oh"].Success || (Number(match, "oh") <= 23 && Number(match, "om") <= 59));
    }

    /// <summary>Dotted-decimal IPv4, four octets, no leading zeros (which some parsers read as octal).</summary>
    public static bool IsIpv4(string value) => Ipv4Pattern().IsMatch(value);

    /// <summary>RFC 4291 §2.2 text forms: eight groups, one "::", an optional dotted-quad tail; no zone, no prefix.</summary>
    public static bool IsIpv6(string value)
    {
        if (value.Length is 0 or > 45 || value.Count(c => c == ':') < 2)
        {
            return false;
        }

        var head = value;
        var tailGroups = 0;
        var lastColon = value.LastIndexOf(':');
        if (value.AsSpan(lastColon + 1).Contains('.'))
        {
            if (!IsIpv4(value[(lastColon + 1)..]))
            {
                return false;
            }

            head = value.EndsWith("::" + value[(lastColon + 1)..], StringComparison.Ordinal) ? value[..(lastColon + 1)] : value[..lastColon];
            tailGroups = 2;
        }

        var halves = head.Split("::");
        if (halves.Length > 2 || !halves.All(h => h.Length == 0 || h.Split(':').All(g => HexGroupPattern().IsMatch(g))))
        {
            return false;
        }

        var groups = halves.Sum(h => h.Length == 0 ? 0 : h.Split(':').Length) + tailGroups;
        var wellFormed = halves.Length == 2 ? groups <= 7 : groups == 8;
        return wellFormed && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>
    /// A host name in LDH or U-label form (RFC 5890); one trailing period allowed (RFC 9083 §3). The top-level label
    /// must not be all digits (RFC 3696 §2), which also keeps a dotted quad from passing as a host name.
    /// </summary>
    public static bool IsIdnHostname(string value)
    {
        var name = value.EndsWith('.') ? value[..^1] : value;
        if (name.Length == 0 || name.Contains(".."))
        {
            return false;
        }

        string ascii;
        try
        {
            ascii = Idna.GetAscii(name);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return IsLdhName(ascii);
    }

    /// <summary>An all-ASCII host name whose labels are LDH labels or valid A-labels.</summary>
    public static bool IsLdhName(string value)
    {
        var name = value.EndsWith('.') ? value[..^1] : value;
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        return labels.All(IsLdhLabel) && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>An absolute URI (RFC 3986 §4.3) made of URI characters only: no spaces, no raw Unicode.</summary>
    public static bool IsUri(string value) =>
        UriPattern().IsMatch(value) && Uri.TryCreate(value, UriKind.Absolute, out _);

    /// <summary>The authority of an absolute URI names a valid host: an IP literal, a dotted quad, or a host name.</summary>
    public static bool IsHostInUri(string value)
    {
        var authority = AuthorityPattern().Match(value);
        if (!authority.Success)
        {
            return false;
        }

        var host = authority.Groups["host"].Value;
        return host.StartsWith('[')
            ? host.EndsWith(']') && IsIpv6(host[1..^1])
            : IsIpv4(host) || IsIdnHostname(host);
    }

    /// <summary>RFC 5321 Mailbox (ASCII): dot-atom or quoted local part, host name or address literal.</summary>
    public static bool IsEmail(string value) => IsMailbox(value, AsciiLocalPartPattern(), IsLdhName);

    /// <summary>RFC 6531 Mailbox: the local part may hold UTF-8, the domain may hold U-labels.</summary>
    public static bool IsIdnEmail(string value) => IsMailbox(value, IdnLocalPartPattern(), IsIdnHostname);

    /// <summary>A media type "type/subtype" (RFC 6838 §4.2) under a registered top-level type, parameters allowed.</summary>
    public static bool IsMediaType(string value)
    {
        var match = MediaTypePattern().Match(value);
        return match.Success && RdapRegistries.TopLevelMediaTypes.Contains(match.Groups["type"].Value);
    }

    /// <summary>An image reference as vCard PHOTO and LOGO carry it: a URI, and a data: URI must hold an image.</summary>
    public static bool IsImage(string value) =>
        IsUri(value) && (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase));

    private static bool IsMailbox(string value, Regex localPart, Func<string, bool> isDomain)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at > 64 || at == value.Length - 1 || !localPart.IsMatch(value[..at]))
        {
            return false;
        }

        var domain = value[(at + 1)..];
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            return literal.StartsWith("IPv6:", StringComparison.Ordinal) ? IsIpv6(literal[5..]) : IsIpv4(literal);
        }

        return !domain.EndsWith('.') && isDomain(domain);
    }

    private static bool IsLdhLabel(string label)
    {
        if (label.Length is 0 or > 63 || !LdhLabelPattern().IsMatch(label))
        {
            return false;
        }

        // Labels with "--" in positions 3 and 4 are reserved (RFC 5890 §2.3.1); only A-labels may use them,
        // and an A-label must decode.
        if (label.Length >= 4 && label[2..4] == "--")
        {
            if (!label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            try
            {
                return Idna.GetAscii(Idna.GetUnicode(label)).Equals(label, StringComparison.OrdinalIgnoreCase);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<time>\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))\z")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})\z")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<h>\d{2}):(?<min>\d{2}):(?<s>\d{2})(\.\d+)?([Zz]|[+-](?<oh>\d{2}):(?<om>\d{2}))\z")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[0-9A-Fa-f]{1,4}\z")]
    private static partial Regex HexGroupPattern();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\z")]
    private static partial Regex LdhLabelPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*\z")]
    private static partial Regex UriPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(?<host>\[[^\]]*\]|[^:/?#]+)(?::[0-9]*)?(?:[/?#]|\z)")]
    private static partial Regex AuthorityPattern();

    [GeneratedRegex("""^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E])*")\z""")]
    private static partial Regex AsciiLocalPartPattern();

    [GeneratedRegex("""^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*|"(?:[\x20\x21\x23-\x5B\x5D-\x7E\u0080-\uFFFF]|\\[\x20-\x7E])*")\z""")]
    private static partial Regex IdnLocalPartPattern();

    [GeneratedRegex(@"^(?<type>[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:[ \t]*;[ \t]*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|""[^""]*""))*\z")]
    private static partial Regex MediaTypePattern();
}
