using System.Globalization;

namespace RepSec.Protocol.Parsing;

/// <summary>RFC 3339 timestamps in UTC, as the replay profile requires.</summary>
public static class Rfc3339
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses a UTC timestamp (<c>Z</c> or <c>+00:00</c>); any other offset is refused.</summary>
    public static bool TryParseUtc(string text, out DateTimeOffset value)
    {
        value = default;
        var utc = text.EndsWith('Z') || text.EndsWith('z') || text.EndsWith("+00:00", StringComparison.Ordinal);
        if (!utc || text.Length > 40)
        {
            return false;
        }

        // RFC 3339 allows a lowercase t and z and any number of fraction digits; .NET's patterns want uppercase
        // and at most seven digits (100 ns), so further digits are dropped.
        var normalized = text.Replace('t', 'T').Replace('z', 'Z');
        var dot = normalized.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < normalized.Length && char.IsAsciiDigit(normalized[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                normalized = string.Concat(normalized.AsSpan(0, dot + 8), normalized.AsSpan(end));
            }
        }
        return DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Formats as <c>2026-11-22T10:00:00.123Z</c> into a caller's buffer.</summary>
    /// <summary>The time in UTC with milliseconds, as the protocol writes times: <c>2026-12-07T05:01:59.123Z</c>.</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<char> text = stackalloc char[32];
        return new string(text[..Format(value, text)]);
    }

    public static int Format(DateTimeOffset value, Span<char> destination)
    {
        value.UtcDateTime.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return written;
    }
}
