using System.Globalization;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Rdap.Queries;

/// <summary>
/// Turns a request target into an <see cref="RdapQuery"/> or an <see cref="RdapError"/>, strictly: a path or
/// query that is not exactly one of RFC 9082's forms is 400 (501 for query types this registry does not serve),
/// never an exception.
/// </summary>
internal static partial class RdapQueryParser
{
    public const string Prefix = "/rdap";
    public const int MaxTargetLength = 2048;

    public static bool TryParse(string rawTarget, out RdapQuery query, out RdapError error)
    {
        query = null!;
        if (rawTarget.Length > MaxTargetLength)
        {
            error = new RdapError(414, "URI Too Long", $"request targets are limited to {MaxTargetLength} characters");
            return false;
        }

        var questionMark = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var pathText = questionMark < 0 ? rawTarget : rawTarget[..questionMark];
        var queryText = questionMark < 0 ? "" : rawTarget[(questionMark + 1)..];
        if (!TrySplitPath(pathText, out var segments, out error) || !TryParseParameters(queryText, out var parameters, out error))
        {
            return false;
        }

        var authenticated = segments.Count > 1 && segments[1] == "auth";
        var rest = segments.Skip(authenticated ? 2 : 1).ToList();
        if (segments.Count == 0 || segments[0] != "rdap" || rest.Count == 0)
        {
            error = RdapError.NotFound("RDAP queries are under /rdap/ (see /rdap/help)");
            return false;
        }

        error = null!;
        RdapQuery? parsed;
        (parsed, error) = (rest[0], rest.Count) switch
        {
            ("help", 1) => NoParameters(parameters, (new RdapQuery(RdapQueryKind.Help, authenticated), null!)),
            ("domain", 2) => NoParameters(parameters, Domain(rest[1], authenticated)),
            ("ip", 2) => NoParameters(parameters, Ip(rest[1], null, authenticated)),
            ("ip", 3) => NoParameters(parameters, Ip(rest[1], rest[2], authenticated)),
            ("autnum", 2) => NoParameters(parameters, Autnum(rest[1], authenticated)),
            ("entity", 2) => NoParameters(parameters, Entity(rest[1], authenticated)),
            ("domains", 1) => DomainSearch(parameters, authenticated),
            ("entities", 1) => EntitySearch(parameters, authenticated),
            ("nameserver" or "nameservers", _) => (null, RdapError.NotImplemented("this registry has no nameserver objects")),
            _ => (null, RdapError.BadRequest("not an RDAP query this server understands (see /rdap/help)")),
        };
        if (parsed is null)
        {
            return false;
        }

        query = parsed;
        return true;
    }

    private static (RdapQuery?, RdapError) NoParameters(Dictionary<string, string> parameters, (RdapQuery?, RdapError) lookup) =>
        lookup.Item1 is not null && parameters.Count > 0
            ? (null, RdapError.BadRequest($"lookups take no query parameters (got '{parameters.Keys.First()}')"))
            : lookup;

    private static (RdapQuery?, RdapError) Domain(string name, bool authenticated)
    {
        if (name.Contains('*', StringComparison.Ordinal))
        {
            return (null, RdapError.BadRequest("a domain lookup takes a name; use /rdap/domains?name= to search"));
        }

        return EntityCanonicalizer.TryCanonicalize(EntityType.Domain, name, out var domain, out var reason)
            ? (new RdapQuery(RdapQueryKind.Domain, authenticated) { Keys = [(EntityType.Domain, domain.Key)] }, null!)
            : (null, RdapError.BadRequest($"'{name}' is not a domain name: {reason}"));
    }

    private static (RdapQuery?, RdapError) Autnum(string number, bool authenticated)
    {
        // RFC 9082 section 3.1.2: the path carries the plain decimal number, no "AS".
        if (number.Length is 0 or > 10 || !number.All(char.IsAsciiDigit) || (number.Length > 1 && number[0] == '0')
            || !uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return (null, RdapError.BadRequest($"'{number}' is not an AS number (0-4294967295)"));
        }

        return (new RdapQuery(RdapQueryKind.Autnum, authenticated) { Keys = [(EntityType.Asn, number)] }, null!);
    }

    /// <summary>The address or prefix itself, then every shorter prefix that contains it: the most specific registered network wins.</summary>
    private static (RdapQuery?, RdapError) Ip(string address, string? length, bool authenticated)
    {
        var text = length is null ? address : $"{address}/{length}";
        var reason = "";
        if (address.Contains('/', StringComparison.Ordinal)
            || !EntityCanonicalizer.TryCanonicalize(EntityType.Ip, text, out var ip, out reason))
        {
            return (null, RdapError.BadRequest($"'{text}' is not an IP address or prefix: {reason}"));
        }

        var slash = ip.Key.IndexOf('/', StringComparison.Ordinal);
        var bits = ip.Key.Contains(':', StringComparison.Ordinal) ? 128 : 32;
        var start = slash < 0 ? bits : int.Parse(ip.Key.AsSpan(slash + 1), CultureInfo.InvariantCulture);
        var network = slash < 0 ? ip.Key : ip.Key[..slash];
        var keys = new List<(EntityType, string)>(start + 1);
        for (var prefix = start; prefix >= 0; prefix--)
        {
            EntityCanonicalizer.TryCanonicalize(EntityType.Ip, $"{network}/{prefix}", out var enclosing, out _);
            keys.Add((EntityType.Ip, enclosing.Key));
        }

        return (new RdapQuery(RdapQueryKind.IpNetwork, authenticated) { Keys = keys }, null!);
    }

    /// <summary>
    /// Entity handles are typed: <c>userid:VALUE</c>, <c>organization:NAME</c>, <c>principal:NAME</c>. A bare
    /// handle is tried as each; if more than one kind has it the answer is 400 naming the typed handles.
    /// </summary>
    private static (RdapQuery?, RdapError) Entity(string handle, bool authenticated)
    {
        var query = new RdapQuery(RdapQueryKind.Entity, authenticated);
        if (EntityHandles.TryParse(handle, out var kind, out var name))
        {
            return kind switch
            {
                EntityHandles.Principal => (query with { PrincipalHandle = name }, null!),
                _ when EntityCanonicalizer.TryCanonicalize(kind == EntityHandles.UserId ? EntityType.UserId : EntityType.Organization, name, out var e, out _)
                    => (query with { Keys = [(e.Type, e.Key)] }, null!),
                _ => (null, RdapError.BadRequest($"'{handle}' is not a valid entity handle")),
            };
        }

        var keys = new List<(EntityType, string)>(2);
        foreach (var type in (EntityType[])[EntityType.UserId, EntityType.Organization])
        {
            if (EntityCanonicalizer.TryCanonicalize(type, handle, out var e, out _))
            {
                keys.Add((e.Type, e.Key));
            }
        }

        return keys.Count == 0 && !Core.Security.Principal.IsValidName(handle)
            ? (null, RdapError.BadRequest($"'{handle}' is not a valid entity handle"))
            : (query with { Keys = keys, PrincipalHandle = Core.Security.Principal.IsValidName(handle) ? handle : null }, null!);
    }
}
