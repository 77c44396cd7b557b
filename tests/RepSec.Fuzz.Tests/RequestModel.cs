using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RepSec.Fuzz.Tests;

/// <summary>A request as a client means it, and the line it sends for it.</summary>
public sealed record RequestModel(
    string Command,
    string? RawId,
    string? Auth,
    string? Nonce,
    (string Text, DateTimeOffset Value)? Timestamp,
    string? Entity,
    string? Type,
    string? Client,
    string? AttributesJson,
    IReadOnlyList<KeyValuePair<string, string>> Extra,
    IReadOnlyList<int> Order,
    bool EscapeNonAscii)
{
    /// <summary>Members as (name, raw JSON value), in the order they are sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Members
    {
        get
        {
            var members = new List<KeyValuePair<string, string>> { new("command", Quote(Command)) };
            Add(members, "id", RawId);
            Add(members, "auth", Auth is null ? null : Quote(Auth));
            Add(members, "nonce", Nonce is null ? null : Quote(Nonce));
            Add(members, "timestamp", Timestamp is null ? null : Quote(Timestamp.Value.Text));
            Add(members, "entity", Entity is null ? null : Quote(Entity));
            Add(members, "type", Type is null ? null : Quote(Type));
            Add(members, "client", Client is null ? null : Quote(Client));
            Add(members, "attributes", AttributesJson);
            members.AddRange(Extra);
            return Order.Where(i => i < members.Count).Concat(Enumerable.Range(0, members.Count).Except(Order)).Select(i => members[i]).ToList();
        }
    }

    /// <summary>The extension members in the order they are sent.</summary>
    public IEnumerable<KeyValuePair<string, string>> ExtraInOrder => Members.Where(m => Extra.Contains(m));

    public byte[] ToLine() =>
        Encoding.UTF8.GetBytes("{" + string.Join(",", Members.Select(m => Quote(m.Key) + ":" + m.Value)) + "}");

    public override string ToString() => Encoding.UTF8.GetString(ToLine());

    private string Quote(string text) => JsonSerializer.Serialize(text, new JsonSerializerOptions
    {
        Encoder = EscapeNonAscii ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static void Add(List<KeyValuePair<string, string>> members, string name, string? raw)
    {
        if (raw is not null)
        {
            members.Add(new(name, raw));
        }
    }
}
