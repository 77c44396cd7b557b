namespace RepSec.Protocol.Entities;

/// <summary>The kinds of entity the profile defines.</summary>
public enum EntityType
{
    Domain,
    Ip,
    Asn,
    UserId,
    Organization,
}

public static class EntityTypes
{
    /// <summary>Every type, in the order used when a command omits <c>type</c>.</summary>
    public static readonly EntityType[] All = [EntityType.Ip, EntityType.Asn, EntityType.Domain, EntityType.UserId, EntityType.Organization];

    /// <summary>The wire name: <c>domain</c>, <c>ip</c>, <c>asn</c>, <c>userid</c>, <c>organization</c>.</summary>
    public static string ToWire(this EntityType type) => type switch
    {
        EntityType.Domain => "domain",
        EntityType.Ip => "ip",
        EntityType.Asn => "asn",
        EntityType.UserId => "userid",
        EntityType.Organization => "organization",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a wire name, case-insensitively.</summary>
    public static bool TryParse(string? text, out EntityType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToWire(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Parses a wire name given as UTF-8 bytes, case-insensitively (a stored row's type, read without making a string).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out EntityType type)
    {
        foreach (var candidate in All)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(utf8, candidate.ToWire()))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
