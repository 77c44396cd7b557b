using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Rdap.Queries;

internal enum RdapQueryKind
{
    Help,
    Domain,
    IpNetwork,
    Autnum,
    Entity,
    DomainSearch,
    EntitySearch,
}

/// <summary>
/// A validated RDAP query. Lookups carry the registry keys to try, most specific first (one for a domain or an
/// AS number; every enclosing prefix for an IP address). Searches carry their terms and paging state.
/// </summary>
internal sealed record RdapQuery(RdapQueryKind Kind, bool RequireAuthentication)
{
    /// <summary>Registry keys to try in order; the first registered one answers.</summary>
    public IReadOnlyList<(EntityType Type, string Key)> Keys { get; init; } = [];

    /// <summary>For entity lookups: the principal named by a <c>principal:</c> handle (or a bare handle that may be one).</summary>
    public string? PrincipalHandle { get; init; }

    public SearchRequest? Search { get; init; }
}

/// <summary>A search: which parameter and pattern, the registry terms it becomes, and RFC 8977 paging and sorting.</summary>
internal sealed record SearchRequest(
    string Parameter,
    string Pattern,
    IReadOnlyList<SearchTerm> Terms,
    string SortProperty,
    bool Descending,
    bool ExplicitSort,
    SearchCursor? Cursor,
    bool Count);

/// <summary>Where the previous page ended and which page comes next; opaque to clients (base64url).</summary>
internal sealed record SearchCursor(SearchPosition After, int PageNumber, string Sort);

/// <summary>An RDAP error answer (RFC 9083 section 6).</summary>
internal sealed record RdapError(int Status, string Title, string Description)
{
    public static RdapError BadRequest(string description) => new(400, "Bad Request", description);

    public static RdapError NotFound(string description) => new(404, "Not Found", description);

    public static RdapError NotImplemented(string description) => new(501, "Not Implemented", description);

    public static RdapError Unprocessable(string description) => new(422, "Unprocessable Content", description);
}
