using System.Collections.Frozen;

namespace RepSec.Core.Security;

/// <summary>
/// A principal's contact data, published over RDAP as the registrant's jCard as far as each reader's tier allows.
/// Only the fields named in <see cref="ContactFields"/> are ever collected.
/// </summary>
public sealed record Contact(string Principal, IReadOnlyDictionary<string, string> Fields, DateTimeOffset UpdatedAt)
{
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;
}

/// <summary>The contact fields the registry knows, named as in jCard (RFC 7095) where one exists.</summary>
public static class ContactFields
{
    public const string Name = "fn";
    public const string Organization = "org";
    public const string Email = "email";
    public const string Phone = "tel";
    public const string Street = "street";
    public const string Locality = "locality";
    public const string Region = "region";
    public const string PostalCode = "postal_code";
    public const string Country = "country";

    public static readonly FrozenSet<string> All = FrozenSet.Create(StringComparer.Ordinal,
        Name, Organization, Email, Phone, Street, Locality, Region, PostalCode, Country);

    /// <summary>The parts of a postal address, in jCard <c>adr</c> order after the two unused leading parts.</summary>
    public static readonly string[] Address = [Street, Locality, Region, PostalCode, Country];

    public const int MaxValueLength = 256;
}
