using System.Text;
using RepSec.Protocol.Signatures;

namespace RepSec.Fuzz;

/// <summary>
/// RFC 8941 dictionaries (the Signature and Signature-Input fields) from arbitrary header text. Parsing never
/// throws; what parses serializes canonically, and the serialization parses back to the same serialization.
/// </summary>
internal static class StructuredFieldTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        // Header values reach the server as Latin-1 as often as UTF-8; both readings are tried.
        Check(Encoding.UTF8.GetString(data));
        Check(Encoding.Latin1.GetString(data));
    }

    /// <summary>Checks one field; returns whether it was accepted (the error, when not).</summary>
    public static string? Check(string field)
    {
        if (!StructuredFieldParser.TryParseDictionary(field, out var members, out var error))
        {
            Invariant.That(error.Length > 0, "a refused field without an error");
            return error;
        }

        Invariant.That(error.Length == 0, "an accepted field with an error");
        Invariant.That(members.Count is >= 1 and <= StructuredFieldParser.MaxMembers, $"{members.Count} members accepted");
        Invariant.That(members.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count() == members.Count, "a key appears twice");
        var serialized = Serialize(members);
        Invariant.That(StructuredFieldParser.TryParseDictionary(serialized, out var again, out var againError),
            $"the serialization '{serialized}' of an accepted field is refused: {againError}");
        Invariant.That(Serialize(again) == serialized, $"'{serialized}' does not serialize back to itself");
        return null;
    }

    private static string Serialize(List<KeyValuePair<string, object>> members)
    {
        var builder = new StringBuilder();
        foreach (var (key, member) in members)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            StructuredFieldSerializer.AppendKey(builder, key);
            switch (member)
            {
                case SfItem { Value.Value: true } item:
                    StructuredFieldSerializer.AppendParameters(builder, item.Parameters);
                    break;
                case SfItem item:
                    builder.Append('=');
                    StructuredFieldSerializer.AppendItem(builder, item);
                    break;
                case SfInnerList list:
                    builder.Append('=');
                    StructuredFieldSerializer.AppendInnerList(builder, list);
                    break;
                default:
                    throw new InvariantViolationException($"a member of type {member.GetType().Name}");
            }
        }

        return builder.ToString();
    }
}
