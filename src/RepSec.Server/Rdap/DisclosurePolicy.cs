using System.Collections.Frozen;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap;

/// <summary>Who a reader is, for disclosure: RFC 7481 section 3.3's anonymous, authenticated and privileged clients.</summary>
public enum RdapTier
{
    Anonymous,
    Authenticated,
    Privileged,
}

/// <summary>
/// Decides, per object, which optional fields a reader sees: its tier's configured fields, or everything when
/// the reader owns the object. Fields outside the collected contact fields are never published.
/// </summary>
public sealed class DisclosurePolicy
{
    public const string RegistrantHandle = "registrant.handle";
    public const string Attributes = "attributes";
    public const string RegistrantPrefix = "registrant.";

    private readonly FrozenSet<string>[] _tiers;
    private readonly FrozenSet<Role> _privileged;
    private readonly FrozenSet<string> _collected;

    public DisclosurePolicy(RdapOptions options)
    {
        _collected = options.ContactFields.ToFrozenSet(StringComparer.Ordinal);
        _privileged = options.PrivilegedRoles.Select(r => Roles.TryParse(r, out var role) ? role : Role.None).ToFrozenSet();
        _tiers = [Expand(options.Disclosure.Anonymous), Expand(options.Disclosure.Authenticated), Expand(options.Disclosure.Privileged)];
    }

    /// <summary>Every field name a disclosure list may use.</summary>
    public static IEnumerable<string> KnownFields =>
        ContactFields.All.Select(f => RegistrantPrefix + f).Append(RegistrantHandle).Append(Attributes);

    public static bool IsKnownField(string field) => field == "*" || KnownFields.Contains(field, StringComparer.Ordinal);

    public FrozenSet<string> CollectedContactFields => _collected;

    public RdapTier TierOf(Principal principal) =>
        principal.IsAnonymous ? RdapTier.Anonymous : _privileged.Contains(principal.Role) ? RdapTier.Privileged : RdapTier.Authenticated;

    /// <summary>Whether <paramref name="reader"/> sees <paramref name="field"/> of an object owned by <paramref name="owner"/>.</summary>
    public bool Discloses(Principal reader, string? owner, string field)
    {
        if (field.StartsWith(RegistrantPrefix, StringComparison.Ordinal) && field != RegistrantHandle
            && !_collected.Contains(field[RegistrantPrefix.Length..]))
        {
            return false;
        }

        if (!reader.IsAnonymous && owner is not null && string.Equals(reader.Name, owner, StringComparison.Ordinal))
        {
            return true;
        }

        return _tiers[(int)TierOf(reader)].Contains(field);
    }

    private static FrozenSet<string> Expand(string[] fields) =>
        (fields.Contains("*") ? KnownFields : fields).ToFrozenSet(StringComparer.Ordinal);
}
