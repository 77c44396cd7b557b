using System.Globalization;
using Microsoft.Extensions.Primitives;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Blocklist;

/// <summary>
/// A parsed <c>GET /blocklist?assertion=A&amp;min-rating=R&amp;min-confidence=C&amp;type=ip|domain&amp;family=4|6&amp;format=plain|csv|json|rbldnsd</c>.
/// Every parameter is optional except as <c>format=rbldnsd</c> needs (one rbldnsd dataset holds one kind of entry).
/// </summary>
internal sealed record BlocklistQuery(
    IReadOnlySet<string>? Assertions, double MinRating, double MinConfidence, EntityType? Type, int? Family, BlocklistFormat Format)
{
    public static readonly string[] Known = ["assertion", "min-rating", "min-confidence", "type", "family", "format"];

    public ListingThresholds Thresholds => new(MinRating, MinConfidence, Assertions);

    /// <summary>The same request, whatever the order or spelling of its parameters (the key of its ETag).</summary>
    public string Key => string.Join('|', string.Join(',', Assertions?.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()),
        MinRating.ToString("R", CultureInfo.InvariantCulture), MinConfidence.ToString("R", CultureInfo.InvariantCulture), Type?.ToWire() ?? "",
        Family?.ToString(CultureInfo.InvariantCulture) ?? "", Format);

    /// <summary>Whether an entity of this type and key belongs in the list asked for.</summary>
    public bool Includes(EntityType type, string key) =>
        (Type is null || Type == type) && (Family is null || (type == EntityType.Ip && (Family == 6) == key.Contains(':', StringComparison.Ordinal)));

    public static bool TryParse(Dictionary<string, StringValues> parameters, ReputationAssertions assertions, BlocklistOptions options,
        out BlocklistQuery query, out string error)
    {
        query = null!;
        error = "";
        if (parameters.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unknown)
        {
            error = $"unknown parameter '{unknown}' (known: {string.Join(", ", Known)})";
            return false;
        }

        if (parameters.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated })
        {
            error = $"'{repeated}' is given more than once (several assertions go in one, separated by commas)";
            return false;
        }

        string? One(string name) => parameters.TryGetValue(name, out var values) ? values[0] : null;

        HashSet<string>? wanted = null;
        if (One("assertion") is { } list)
        {
            wanted = [.. list.Split(',', StringSplitOptions.TrimEntries)];
            if (wanted.FirstOrDefault(a => !assertions.IsKnown(a) || assertions.IsPositive(a)) is { } bad)
            {
                error = $"'{bad}' is not a negative assertion this server knows ({string.Join(", ", assertions.Names.Where(a => !assertions.IsPositive(a)))})";
                return false;
            }
        }

        if (!TryRatio(One("min-rating"), options.MinRating, out var minRating) || !TryRatio(One("min-confidence"), options.MinConfidence, out var minConfidence))
        {
            error = "min-rating and min-confidence are numbers from 0 to 1";
            return false;
        }

        EntityType? type = null;
        if (One("type") is { } typeName)
        {
            if (typeName is not ("ip" or "domain"))
            {
                error = "type is ip or domain";
                return false;
            }

            type = typeName == "ip" ? EntityType.Ip : EntityType.Domain;
        }

        int? family = null;
        if (One("family") is { } familyText)
        {
            if (familyText is not ("4" or "6") || type == EntityType.Domain)
            {
                error = "family is 4 or 6, for IP addresses and prefixes";
                return false;
            }

            family = familyText == "4" ? 4 : 6;
            type = EntityType.Ip;
        }

        if (!BlocklistFormats.TryParse(One("format") ?? "plain", out var format))
        {
            error = "format is plain, csv, json or rbldnsd";
            return false;
        }

        if (format == BlocklistFormat.Rbldnsd && type != EntityType.Domain && family is null)
        {
            error = "an rbldnsd zone holds one kind of entry: give type=domain (a dnset), or family=4 (an ip4set) or family=6 (an ip6trie)";
            return false;
        }

        if (format == BlocklistFormat.Rbldnsd && family == 6 && wanted is not { Count: 1 })
        {
            // An ip6trie holds one answer per address or prefix; several datasets of one zone answer together.
            error = "an rbldnsd ip6trie holds one answer per entry: give one assertion (family=6&assertion=spam) and load one dataset per assertion into the zone";
            return false;
        }

        query = new BlocklistQuery(wanted, minRating, minConfidence, type, family, format);
        return true;
    }

    private static bool TryRatio(string? text, double fallback, out double value)
    {
        value = fallback;
        return text is null
            || (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1);
    }
}
