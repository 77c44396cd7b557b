using System.Globalization;
using System.Text;

namespace RepSec.Protocol.Entities;

/// <summary>
/// Canonical forms per the profile: domains as lowercase A-labels, IPv6 per RFC 5952, prefixes as network/len,
/// AS numbers as plain decimals, user ids and organization names in Unicode NFC.
/// </summary>
public static partial class EntityCanonicalizer
{
    public const int MaxNameLength = 256;

    public static bool TryCanonicalize(EntityType type, string input, out CanonicalEntity entity, out string error)
    {
        string? value;
        (value, error) = type switch
        {
            EntityType.Domain => CanonicalizeDomain(input),
            EntityType.Ip => CanonicalizeIp(input),
            EntityType.Asn => CanonicalizeAsn(input),
            EntityType.UserId => CanonicalizeName(input, allowSpaces: false),
            EntityType.Organization => CanonicalizeName(input, allowSpaces: true),
            _ => (null, "unknown type"),
        };

        if (value is null)
        {
            entity = default;
            return false;
        }

        var key = type == EntityType.Organization ? OrganizationKey(value) : value;
        entity = new CanonicalEntity(type, value, key);
        error = "";
        return true;
    }

    /// <summary>Every reading of an untyped entity string, one per type that accepts it.</summary>
    public static List<CanonicalEntity> Candidates(string input)
    {
        var result = new List<CanonicalEntity>(EntityTypes.All.Length);
        foreach (var type in EntityTypes.All)
        {
            if (TryCanonicalize(type, input, out var entity, out _))
            {
                result.Add(entity);
            }
        }

        return result;
    }

    private static (string?, string) CanonicalizeAsn(string input)
    {
        var digits = input.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? input.AsSpan(2) : input.AsSpan();
        if (digits.IsEmpty || digits.Length > 10 || (digits.Length > 1 && digits[0] == '0') || !IsAsciiDigits(digits)
            || !uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return (null, "an AS number is 0-4294967295, optionally prefixed with AS");
        }

        return (number.ToString(CultureInfo.InvariantCulture), "");
    }

    private static (string?, string) CanonicalizeName(string input, bool allowSpaces)
    {
        var text = allowSpaces ? input.Trim() : input;
        if (!text.IsNormalized(NormalizationForm.FormC))
        {
            text = text.Normalize(NormalizationForm.FormC);
        }

        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            count++;
            var category = Rune.GetUnicodeCategory(rune);
            var printable = category switch
            {
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
                UnicodeCategory.SpaceSeparator => allowSpaces,
                _ => true,
            };
            if (!printable)
            {
                return (null, allowSpaces ? "a name may not contain control or unassigned characters" : "a user id may not contain spaces, control or unassigned characters");
            }
        }

        return count is >= 1 and <= MaxNameLength ? (text, "") : (null, $"must be 1-{MaxNameLength} characters");
    }

    /// <summary>
    /// Identity of an organization name: compatibility-normalized (NFKC), lowercased with the folds .NET's
    /// lowercasing lacks (ß to ss, final sigma to sigma), and every run of whitespace one space, so that names
    /// that look the same are the same entity.
    /// </summary>
    private static string OrganizationKey(string value)
    {
        var folded = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var key = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var rune in folded.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = key.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                key.Append(' ');
                pendingSpace = false;
            }

            switch (rune.Value)
            {
                case 'ß':
                    key.Append("ss");
                    break;
                case 'ς':
                    key.Append('σ');
                    break;
                default:
                    key.Append(rune.ToString());
                    break;
            }
        }

        return key.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
