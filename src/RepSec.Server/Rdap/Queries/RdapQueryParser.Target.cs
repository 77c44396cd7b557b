using System.Text;

namespace RepSec.Server.Rdap.Queries;

internal static partial class RdapQueryParser
{
    private const int MaxParameters = 8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits the path into percent-decoded segments; empty segments, dot segments and control characters are refused.</summary>
    private static bool TrySplitPath(string path, out List<string> segments, out RdapError error)
    {
        segments = [];
        error = null!;
        if (path.Length == 0 || path[0] != '/')
        {
            error = RdapError.BadRequest("the request target must be an absolute path");
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        foreach (var raw in path[1..].Split('/'))
        {
            if (!TryDecode(raw, plusIsSpace: false, out var segment) || segment.Length == 0 || segment is "." or "..")
            {
                error = RdapError.BadRequest("the path has an empty, dot, or badly encoded segment");
                return false;
            }

            segments.Add(segment);
        }

        return true;
    }

    public static bool TryParseParameters(string query, out Dictionary<string, string> parameters, out RdapError error)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null!;
        if (query.Length == 0)
        {
            return true;
        }

        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryDecode(pair[..equals], true, out var name) || !TryDecode(pair[(equals + 1)..], true, out var value))
            {
                error = RdapError.BadRequest("the query string must be name=value pairs, percent-encoded as UTF-8");
                return false;
            }

            if (parameters.Count >= MaxParameters || !parameters.TryAdd(name, value))
            {
                error = RdapError.BadRequest($"query parameter '{name}' repeated, or too many parameters");
                return false;
            }
        }

        return true;
    }

    /// <summary>Strict percent-decoding: every % is followed by two hex digits, the result is valid UTF-8 without control characters.</summary>
    public static bool TryDecode(string text, bool plusIsSpace, out string decoded)
    {
        decoded = "";
        var bytes = new byte[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                bytes[count++] = (byte)Convert.ToInt32(text.Substring(i + 1, 2), 16);
                i += 2;
            }
            else if (c > 0x7E || c <= 0x20)
            {
                return false;
            }
            else
            {
                bytes[count++] = plusIsSpace && c == '+' ? (byte)' ' : (byte)c;
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, count);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var rune in decoded.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return false;
            }
        }

        return true;
    }
}
