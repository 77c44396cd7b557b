using System.Globalization;
using System.Text;

namespace RepSec.Protocol.Transparency;

/// <summary>
/// One log entry as its leaf commits to it: the RFC 8785 canonical JSON of
/// <c>{"action","actor","at","index","record","subject","v"}</c>. Every member is ASCII by construction (an action
/// name, an RFC 3339 time, base64), so the canonical form is written directly in sorted member order.
/// </summary>
public sealed record LogLeaf(long Index, string Action, string At, byte[] Subject, byte[] Actor, byte[]? Record)
{
    public const int Version = 1;

    public byte[] ToCanonicalJson()
    {
        if (Index < 0 || !IsName(Action) || !IsTime(At))
        {
            throw new ArgumentException("a log leaf needs a non-negative index, a lowercase action name and an RFC 3339 time");
        }

        var text = new StringBuilder(256);
        text.Append("{\"action\":\"").Append(Action)
            .Append("\",\"actor\":\"").Append(Convert.ToBase64String(Actor))
            .Append("\",\"at\":\"").Append(At)
            .Append("\",\"index\":").Append(Index.ToString(CultureInfo.InvariantCulture))
            .Append(",\"record\":").Append(Record is null ? "null" : $"\"{Convert.ToBase64String(Record)}\"")
            .Append(",\"subject\":\"").Append(Convert.ToBase64String(Subject))
            .Append("\",\"v\":").Append(Version).Append('}');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>SHA-256(0x00 || canonical JSON).</summary>
    public byte[] Hash() => MerkleHash.Leaf(ToCanonicalJson());

    private static bool IsName(string value) => value.Length is > 0 and <= 64 && value.All(c => c is (>= 'a' and <= 'z') or '_');

    private static bool IsTime(string value) => value.Length is > 0 and <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '.' or '+');
}
