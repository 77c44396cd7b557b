using System.Collections.Frozen;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// The IANA registries behind the schemas' registry formats. Values checked against the RFC texts shipped with the
/// project (RFC 9083 §10.2, RFC 9537 §6) are marked so; the others are IANA registrations made by RFCs or by
/// expert review that those texts do not contain.
/// </summary>
internal static class RdapRegistries
{
    /// <summary>RDAP JSON Values, type "role": RFC 9083 §10.2.4 (all of them).</summary>
    public static readonly IReadOnlySet<string> Roles = FrozenSet.Create(StringComparer.Ordinal,
        "registrant", "technical", "administrative", "abuse", "billing", "registrar", "reseller", "sponsor", "proxy",
        "notifications", "noc");

    /// <summary>
    /// RDAP JSON Values, type "status". There is no "redacted" status: RFC 9537 registers only an extension
    /// identifier and the "redacted expression language" value "jsonpath"; withheld data is signalled by the
    /// "redacted" member, or by the RFC 9083 statuses "private", "removed" and "obscured".
    /// </summary>
    public static readonly IReadOnlySet<string> Statuses = FrozenSet.Create(StringComparer.Ordinal,
        // RFC 9083 §10.2.2
        "validated", "renew prohibited", "update prohibited", "transfer prohibited", "delete prohibited", "proxy",
        "private", "removed", "obscured", "associated", "active", "inactive", "locked", "pending create",
        "pending renew", "pending transfer", "pending update", "pending delete",
        // RFC 8056 (EPP status mapping)
        "add period", "auto renew period", "client delete prohibited", "client hold", "client renew prohibited",
        "client transfer prohibited", "client update prohibited", "pending restore", "redemption period",
        "renew period", "server delete prohibited", "server renew prohibited", "server transfer prohibited",
        "server update prohibited", "server hold", "transfer period",
        // expert-review registrations for number resources
        "administrative", "reserved");

    /// <summary>RDAP JSON Values, type "event action".</summary>
    public static readonly IReadOnlySet<string> EventActions = FrozenSet.Create(StringComparer.Ordinal,
        // RFC 9083 §10.2.3
        "registration", "reregistration", "last changed", "expiration", "deletion", "reinstantiation", "transfer",
        "locked", "unlocked",
        // expert-review registrations (ICANN)
        "last update of RDAP database", "registrar expiration", "enum validation expiration");

    /// <summary>RDAP JSON Values, type "notice and remark type": RFC 9083 §10.2.1 (all of them).</summary>
    public static readonly IReadOnlySet<string> NoticeAndRemarkTypes = FrozenSet.Create(StringComparer.Ordinal,
        "result set truncated due to authorization", "result set truncated due to excessive load",
        "result set truncated due to unexplainable reasons", "object truncated due to authorization",
        "object truncated due to excessive load", "object truncated due to unexplainable reasons");

    /// <summary>RDAP JSON Values, type "domain variant relation": RFC 9083 §10.2.5 (all of them).</summary>
    public static readonly IReadOnlySet<string> VariantRelations = FrozenSet.Create(StringComparer.Ordinal,
        "registered", "unregistered", "registration restricted", "open registration", "conjoined");

    /// <summary>
    /// RDAP Extensions registry identifiers, plus "repsec": the identifier this project's specification uses for its
    /// own members (repsec_*). "repsec" is not registered with IANA; it is accepted here because the server is
    /// specified to emit it, and it is the only unregistered value accepted.
    /// </summary>
    public static readonly IReadOnlySet<string> RdapExtensions = FrozenSet.Create(StringComparer.Ordinal,
        "rdap_level_0", "redacted", "paging", "sorting", "subsetting", "cidr0", "arin_originas0", "rdap_objectTag",
        "fred", "icann_rdap_response_profile_0", "icann_rdap_response_profile_1",
        "icann_rdap_technical_implementation_guide_0", "icann_rdap_technical_implementation_guide_1",
        "nro_rdap_profile_0", "nro_rdap_profile_asn_flat_0", "nro_rdap_profile_asn_hierarchical_0", "jscontact",
        "redirect_with_content", "exts", "geofeed1", "rdap_openid", "roidc1", "reverse_search", "farv1",
        "repsec");

    /// <summary>
    /// IANA Link Relation Types (RFC 8288 §4.2). RFC 8288 compares registered relation types case-insensitively.
    /// Extension relation types (absolute URIs) are not accepted: the schema asks for a registered relation name.
    /// </summary>
    public static readonly IReadOnlySet<string> LinkRelations = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "about", "acl", "alternate", "amphtml", "api-catalog", "appendix", "apple-touch-icon",
        "apple-touch-startup-image", "archives", "author", "blocked-by", "bookmark", "c2pa-manifest", "canonical",
        "chapter", "cite-as", "collection", "compression-dictionary", "contents", "convertedfrom", "copyright",
        "create-form", "current", "deprecation", "describedby", "describes", "disclosure", "dns-prefetch",
        "duplicate", "edit", "edit-form", "edit-media", "enclosure", "external", "first", "geofeed", "glossary",
        "help", "hosts", "hub", "ice-server", "icon", "index", "intervalafter", "intervalbefore",
        "intervalcontains", "intervaldisjoint", "intervalduring", "intervalequals", "intervalfinishedby",
        "intervalfinishes", "intervalin", "intervalmeets", "intervalmetby", "intervaloverlappedby",
        "intervaloverlaps", "intervalstartedby", "intervalstarts", "item", "last", "latest-version", "license",
        "linkset", "lrdd", "manifest", "mask-icon", "me", "media-feed", "memento", "micropub", "modulepreload",
        "monitor", "monitor-group", "next", "next-archive", "nofollow", "noopener", "noreferrer", "opener",
        "openid2.local_id", "openid2.provider", "original", "P3Pv1", "payment", "pingback", "preconnect",
        "predecessor-version", "prefetch", "preload", "prerender", "prev", "prev-archive", "preview", "previous",
        "privacy-policy", "profile", "publication", "rdap-active", "rdap-bottom", "rdap-down", "rdap-top",
        "rdap-up", "related", "replies", "restconf", "ruleinput", "search", "section", "self", "service",
        "service-desc", "service-doc", "service-meta", "sip-trunking-capability", "sponsored", "start", "status",
        "stylesheet", "subsection", "successor-version", "sunset", "tag", "terms-of-service", "timegate", "timemap",
        "type", "ugc", "up", "version-history", "via", "webmention", "working-copy", "working-copy-of");

    /// <summary>IANA top-level media types (RFC 6838 §4.2); the subtype is checked for syntax only.</summary>
    public static readonly IReadOnlySet<string> TopLevelMediaTypes = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "application", "audio", "example", "font", "haptics", "image", "message", "model", "multipart", "text",
        "video");
}
