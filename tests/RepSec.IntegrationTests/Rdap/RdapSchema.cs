namespace RepSec.IntegrationTests.Rdap;

/// <summary>The kinds of RDAP response the harness validates, each with its root schema.</summary>
internal enum RdapSchema
{
    Domain,
    Entity,
    IpNetwork,
    Autnum,
    Help,
    Error,
    DomainSearch,
    EntitySearch,
}

internal static class RdapSchemaFiles
{
    /// <summary>
    /// The root schema file of each response kind. The upstream set has no search envelope for domains or entities
    /// (rdap_entities.json is the bare array embedded objects use), so the two search files are local additions shaped
    /// like upstream's rdap_nameservers.json; see Schemas/README.md.
    /// </summary>
    public static string FileName(this RdapSchema schema) => schema switch
    {
        RdapSchema.Domain => "rdap_domain.json",
        RdapSchema.Entity => "rdap_entity.json",
        RdapSchema.IpNetwork => "rdap_ip_network.json",
        RdapSchema.Autnum => "rdap_autnum.json",
        RdapSchema.Help => "rdap_help.json",
        RdapSchema.Error => "rdap_error.json",
        RdapSchema.DomainSearch => "rdap_domain_search.json",
        RdapSchema.EntitySearch => "rdap_entity_search.json",
        _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, null),
    };

    /// <summary>The objectClassName a lookup response of this kind carries at its top, or null for the others.</summary>
    public static string? ObjectClassName(this RdapSchema schema) => schema switch
    {
        RdapSchema.Domain => "domain",
        RdapSchema.Entity => "entity",
        RdapSchema.IpNetwork => "ip network",
        RdapSchema.Autnum => "autnum",
        _ => null,
    };
}
