using System.Buffers;
using System.Globalization;
using System.Text;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// RFC 8941 serialization of the pieces signatures need. The output is canonical, which matters: the
/// <c>@signature-params</c> line of a signature base is this serialization, on the signer's side and again
/// on the verifier's side after parsing what arrived.
/// </summary>
internal static class StructuredFieldSerializer
{
    private const long MaxInteger = 999_999_999_999_999;

    private static readonly SearchValues<char> KeyChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-.*");

    public static string InnerList(SfInnerList list)
    {
        var builder = new StringBuilder();
        AppendInnerList(builder, list);
        return builder.ToString();
    }

    public static void AppendInnerList(StringBuilder builder, SfInnerList list)
    {
        builder.Append('(');
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            AppendItem(builder, list.Items[i]);
        }

        builder.Append(')');
        AppendParameters(builder, list.Parameters);
    }

    public static void AppendItem(StringBuilder builder, SfItem item)
    {
        AppendBareItem(builder, item.Value);
        AppendParameters(builder, item.Parameters);
    }

    public static void AppendParameters(StringBuilder builder, SfParameters parameters)
    {
        foreach (var (key, value) in parameters.Entries)
        {
            builder.Append(';');
            AppendKey(builder, key);
            if (value.Value is not true)
            {
                builder.Append('=');
                AppendBareItem(builder, value);
            }
        }
    }

    public static void AppendKey(StringBuilder builder, string key)
    {
        if (!IsKey(key))
        {
            throw new ArgumentException($"'{key}' is not a structured field key (lowercase letters, digits, '_', '-', '.', '*')", nameof(key));
        }

        builder.Append(key);
    }

    public static bool IsKey(string key) =>
        key.Length > 0 && StructuredFieldParser.IsKeyStart(key[0]) && !key.AsSpan(1).ContainsAnyExcept(KeyChars);

    public static void AppendBareItem(StringBuilder builder, SfBareItem item)
    {
        switch (item.Value)
        {
            case long integer:
                if (integer is > MaxInteger or < -MaxInteger)
                {
                    throw new ArgumentOutOfRangeException(nameof(item), "a structured field integer has at most 15 digits");
                }

                builder.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                // Parsed decimals have at most three fractional digits; "0.0##" keeps at least one.
                builder.Append(number.ToString("0.0##", CultureInfo.InvariantCulture));
                break;
            case string text:
                AppendString(builder, text);
                break;
            case SfToken token:
                AppendToken(builder, token.Value);
                break;
            case byte[] bytes:
                builder.Append(':').Append(Convert.ToBase64String(bytes)).Append(':');
                break;
            case bool boolean:
                builder.Append(boolean ? "?1" : "?0");
                break;
            default:
                throw new ArgumentException("not a structured field bare item", nameof(item));
        }
    }

    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("a structured field string holds printable ASCII only", nameof(text));
            }

            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    private static void AppendToken(StringBuilder builder, string token)
    {
        if (token.Length == 0 || !StructuredFieldParser.IsTokenStart(token[0]) || !token.All(StructuredFieldParser.IsTokenChar))
        {
            throw new ArgumentException($"'{token}' is not a structured field token", nameof(token));
        }

        builder.Append(token);
    }
}
