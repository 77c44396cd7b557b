using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>One type and key pattern: an exact key, or every key that starts with <see cref="Text"/>.</summary>
public sealed record SearchTerm(EntityType Type, string Text, bool IsPrefix);

public enum SearchOrder
{
    NameAscending,
    NameDescending,
    RegisteredAscending,
    RegisteredDescending,
}

/// <summary>Where a page ended: the last record's sort values, so the next page starts after it (keyset paging).</summary>
public readonly record struct SearchPosition(DateTimeOffset RegisteredAt, string Key, EntityType Type);

/// <summary>A bounded search: records matching any term, in order, after a position, at most <see cref="Limit"/>.</summary>
public sealed record RegistrySearch(IReadOnlyList<SearchTerm> Terms, SearchOrder Order, SearchPosition? After, int Limit)
{
    /// <summary>Every key beginning with a prefix sorts below the prefix followed by the highest code point.</summary>
    public static string UpperBound(string prefix) => prefix + char.ConvertFromUtf32(0x10FFFF);
}
