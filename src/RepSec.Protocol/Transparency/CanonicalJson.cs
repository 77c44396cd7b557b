using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RepSec.Protocol.Transparency;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: members sorted by UTF-16 code units, no whitespace, strings escaped
/// as ECMAScript's JSON.stringify does, numbers in ECMAScript's shortest form. Log leaves hash this form, so any
/// implementation that canonicalizes the same entry gets the same leaf hash.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    WriteString(member.Name, text);
                    text.Append(':');
                    Write(member.Value, text);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(index++ == 0 ? "" : ",");
                    Write(item, text);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(FormatNumber(value.GetDouble()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }

    /// <summary>ECMAScript Number::toString: the shortest round-trip digits, laid out by the spec's rules.</summary>
    internal static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("JSON has no NaN or Infinity", nameof(value));
        }

        if (value == 0)
        {
            return "0"; // also -0
        }

        var sign = value < 0 ? "-" : "";
        // "E16" is not shortest; "R" is, in either fixed or exponent form: reduce it to digits and an exponent.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var n = (dot < 0 ? mantissa.Length : dot) + exponent; // value = 0.digits * 10^n
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leadingZeros;
        var k = digits.Length;

        string body;
        if (k <= n && n <= 21)
        {
            body = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            body = $"{digits[..n]}.{digits[n..]}";
        }
        else if (-6 < n && n <= 0)
        {
            body = $"0.{new string('0', -n)}{digits}";
        }
        else
        {
            var e = n - 1;
            var fraction = k == 1 ? "" : $".{digits[1..]}";
            body = string.Create(CultureInfo.InvariantCulture, $"{digits[0]}{fraction}e{(e < 0 ? "-" : "+")}{Math.Abs(e)}");
        }

        return sign + body;
    }
}
