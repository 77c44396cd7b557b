namespace RepSec.Protocol.Signatures;

/// <summary>
/// Strict RFC 8941 parsing of the Dictionary fields that signatures travel in. It never throws on malformed
/// input: every failure comes back as an error string, and lengths and counts are capped first so hostile
/// input costs at most linear time in a bounded length.
/// </summary>
internal static partial class StructuredFieldParser
{
    /// <summary>Longest field value accepted, in characters; an RSA-4096 signature is under 700.</summary>
    public const int MaxFieldLength = 16_384;

    /// <summary>Most members in one dictionary, items in one inner list, or parameters on one item.</summary>
    public const int MaxMembers = 64;

    /// <summary>
    /// Parses a Dictionary. Members are <see cref="SfItem"/> or <see cref="SfInnerList"/>, in first-seen order;
    /// a repeated key keeps its first position and takes the last value (RFC 8941 §4.2.2).
    /// </summary>
    public static bool TryParseDictionary(string? field, out List<KeyValuePair<string, object>> members, out string error)
    {
        members = [];
        if (field is null)
        {
            error = "the field is absent";
            return false;
        }

        if (field.Length > MaxFieldLength)
        {
            error = $"the field is longer than {MaxFieldLength} characters";
            return false;
        }

        var reader = new Reader(field);
        reader.SkipSpaces();
        while (!reader.AtEnd)
        {
            if (!reader.TryParseKey(out var key))
            {
                break;
            }

            object member;
            if (reader.TryConsume('='))
            {
                if (!reader.TryParseItemOrInnerList(out member))
                {
                    break;
                }
            }
            else if (reader.TryParseParameters(out var parameters))
            {
                member = new SfItem(true, parameters);
            }
            else
            {
                break;
            }

            if (!Upsert(members, key, member))
            {
                reader.Fail($"more than {MaxMembers} members");
                break;
            }

            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                break;
            }

            if (!reader.TryConsume(','))
            {
                reader.Fail("members are separated by ','");
                break;
            }

            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                reader.Fail("a trailing ','");
                break;
            }
        }

        if (reader.Error is null && members.Count == 0)
        {
            reader.Fail("the dictionary is empty");
        }

        error = reader.Error ?? "";
        return reader.Error is null;
    }

    private static bool Upsert<T>(List<KeyValuePair<string, T>> entries, string key, T value)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                entries[i] = new(key, value);
                return true;
            }
        }

        if (entries.Count >= MaxMembers)
        {
            return false;
        }

        entries.Add(new(key, value));
        return true;
    }

    internal static bool IsKeyStart(char c) => c is (>= 'a' and <= 'z') or '*';

    internal static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*';

    internal static bool IsTokenStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '*';

    /// <summary>RFC 9110 tchar, plus ':' and '/' which RFC 8941 tokens also allow.</summary>
    internal static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'
            or ':' or '/';
}
