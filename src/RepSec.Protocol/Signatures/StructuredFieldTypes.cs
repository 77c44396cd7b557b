namespace RepSec.Protocol.Signatures;

/// <summary>An RFC 8941 token bare item, kept apart from strings because the two serialize differently.</summary>
internal readonly record struct SfToken(string Value);

/// <summary>
/// An RFC 8941 bare item: <see cref="long"/> (integer), <see cref="decimal"/>, <see cref="string"/>,
/// <see cref="SfToken"/>, <see cref="byte"/>[] (byte sequence) or <see cref="bool"/>.
/// </summary>
internal readonly record struct SfBareItem(object Value)
{
    public static implicit operator SfBareItem(long value) => new(value);

    public static implicit operator SfBareItem(string value) => new(value);

    public static implicit operator SfBareItem(bool value) => new(value);

    public static implicit operator SfBareItem(byte[] value) => new(value);

    public static implicit operator SfBareItem(SfToken value) => new(value);
}

/// <summary>Ordered parameters; a repeated key keeps its first position and takes the last value (RFC 8941 §4.2.3.2).</summary>
internal sealed class SfParameters
{
    public static readonly SfParameters Empty = new([]);

    public SfParameters(List<KeyValuePair<string, SfBareItem>> entries) => Entries = entries;

    public IReadOnlyList<KeyValuePair<string, SfBareItem>> Entries { get; }

    public bool TryGet(string key, out SfBareItem value)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>A dictionary member or inner-list element: a bare item with parameters.</summary>
internal sealed record SfItem(SfBareItem Value, SfParameters Parameters);

/// <summary>A parenthesized list of items with parameters of its own.</summary>
internal sealed record SfInnerList(IReadOnlyList<SfItem> Items, SfParameters Parameters);
