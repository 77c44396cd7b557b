namespace RepSec.Protocol.Parsing;

/// <summary>
/// One parsed request. A connection owns one instance and reuses it for every line,
/// so the envelope costs no allocation; parameter strings are allocated as read.
/// </summary>
public sealed class Request
{
    internal const int MaxCommandChars = 64;
    internal const int MaxIdBytes = 256;

    private readonly char[] _command = new char[MaxCommandChars];
    private readonly byte[] _id = new byte[MaxIdBytes];
    private int _commandLength = -1;
    private int _idLength;
    private List<KeyValuePair<string, string>>? _extra;

    /// <summary>The command as sent (not case-folded); empty when absent.</summary>
    public ReadOnlySpan<char> Command => _commandLength < 0 ? default : _command.AsSpan(0, _commandLength);

    /// <summary>False when the command member was missing.</summary>
    public bool HasCommand => _commandLength >= 0;

    /// <summary>The <c>id</c> member as raw JSON (a string with its quotes, or a number), to echo verbatim.</summary>
    public ReadOnlySpan<byte> RawId => _id.AsSpan(0, _idLength);

    public string? Auth { get; internal set; }
    public string? Nonce { get; internal set; }
    public DateTimeOffset? Timestamp { get; internal set; }
    public string? Entity { get; internal set; }
    public string? Type { get; internal set; }
    public string? Client { get; internal set; }

    /// <summary>The <c>attributes</c> object as compact JSON text, or null.</summary>
    public string? AttributesJson { get; internal set; }

    /// <summary>Members the envelope does not define, as raw JSON values; extension commands read theirs here.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra => (IReadOnlyList<KeyValuePair<string, string>>?)_extra ?? [];

    public void Reset()
    {
        _commandLength = -1;
        _idLength = 0;
        Auth = Nonce = Entity = Type = Client = AttributesJson = null;
        Timestamp = null;
        _extra?.Clear();
    }

    /// <summary>Sets the command text; returns false when it is too long to be any command.</summary>
    internal Span<char> CommandBuffer => _command;

    internal void SetCommandLength(int length) => _commandLength = length;

    internal bool TrySetId(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxIdBytes)
        {
            return false;
        }

        raw.CopyTo(_id);
        _idLength = raw.Length;
        return true;
    }

    internal void AddExtra(string name, string rawJson) => (_extra ??= []).Add(new(name, rawJson));
}
