using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Rdap.Queries;

internal static partial class RdapQueryParser
{
    public const string RegistrationDate = "registrationDate";
    private const int MaxPatternLength = 256;

    private static (RdapQuery?, RdapError) DomainSearch(Dictionary<string, string> parameters, bool authenticated)
    {
        if (parameters.ContainsKey("nsLdhName") || parameters.ContainsKey("nsIp"))
        {
            return (null, RdapError.NotImplemented("this registry has no nameserver data to search domains by"));
        }

        if (!parameters.TryGetValue("name", out var pattern))
        {
            return (null, RdapError.BadRequest("a domain search needs name="));
        }

        var (terms, error) = DomainTerms(pattern);
        return terms is null ? (null, error) : Search(RdapQueryKind.DomainSearch, authenticated, parameters, "name", pattern, terms, ["name"]);
    }

    private static (RdapQuery?, RdapError) EntitySearch(Dictionary<string, string> parameters, bool authenticated)
    {
        var hasFn = parameters.TryGetValue("fn", out var fn);
        var hasHandle = parameters.TryGetValue("handle", out var handle);
        if (hasFn == hasHandle)
        {
            return (null, RdapError.BadRequest("an entity search needs exactly one of fn= and handle="));
        }

        var (parameter, pattern) = hasFn ? ("fn", fn!) : ("handle", handle!);
        var (terms, error) = EntityTerms(pattern, byHandle: hasHandle);
        return terms is null ? (null, error) : Search(RdapQueryKind.EntitySearch, authenticated, parameters, parameter, pattern, terms, ["fn", "handle"]);
    }

    private static (RdapQuery?, RdapError) Search(RdapQueryKind kind, bool authenticated, Dictionary<string, string> parameters,
        string parameter, string pattern, IReadOnlyList<SearchTerm> terms, string[] nameSorts)
    {
        foreach (var name in parameters.Keys)
        {
            if (name != parameter && name is not ("sort" or "cursor" or "count"))
            {
                return (null, RdapError.BadRequest($"unknown query parameter '{name}' (this search takes {parameter}, sort, cursor, count)"));
            }
        }

        var count = false;
        if (parameters.TryGetValue("count", out var countText) && !bool.TryParse(countText, out count))
        {
            return (null, RdapError.BadRequest("count must be true or false"));
        }

        var sortText = parameters.GetValueOrDefault("sort", nameSorts[0]);
        var sortParts = sortText.Split(':');
        var property = sortParts[0];
        if (sortParts.Length > 2 || (sortParts.Length == 2 && sortParts[1] is not ("a" or "d"))
            || (property != RegistrationDate && !nameSorts.Contains(property)))
        {
            return (null, RdapError.BadRequest($"sort must be one of {string.Join(", ", nameSorts.Append(RegistrationDate))}, optionally with :a or :d"));
        }

        var descending = sortParts.Length == 2 && sortParts[1] == "d";
        var sort = $"{property}:{(descending ? 'd' : 'a')}";
        SearchCursor? cursor = null;
        if (parameters.TryGetValue("cursor", out var cursorText) && !TryDecodeCursor(cursorText, parameter, pattern, sort, out cursor))
        {
            return (null, RdapError.BadRequest("cursor is not one this server issued for this sort order"));
        }

        var search = new SearchRequest(parameter, pattern, terms, property, descending, parameters.ContainsKey("sort"), cursor, count);
        return (new RdapQuery(kind, authenticated) { Search = search }, null!);
    }

    /// <summary>A trailing <c>*</c> is a prefix search on the A-label form; a partial U-label cannot be converted, so it is 422.</summary>
    private static (IReadOnlyList<SearchTerm>?, RdapError) DomainTerms(string pattern)
    {
        if (CheckPattern(pattern) is { } invalid)
        {
            return (null, invalid);
        }

        if (!pattern.EndsWith('*'))
        {
            return EntityCanonicalizer.TryCanonicalize(EntityType.Domain, pattern, out var exact, out var reason)
                ? ([new SearchTerm(EntityType.Domain, exact.Key, false)], null!)
                : (null, RdapError.BadRequest($"'{pattern}' is not a domain name: {reason}"));
        }

        var stem = pattern[..^1];
        if (stem.StartsWith('.'))
        {
            return (null, RdapError.BadRequest("a domain pattern cannot start with a dot"));
        }

        var lastDot = stem.LastIndexOf('.');
        var partial = stem[(lastDot + 1)..];
        var complete = lastDot < 0 ? "" : stem[..lastDot];
        if (!partial.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return (null, RdapError.Unprocessable("partial matching is supported on ASCII label prefixes only"));
        }

        var prefix = partial.ToLowerInvariant();
        if (complete.Length > 0)
        {
            if (!EntityCanonicalizer.TryCanonicalize(EntityType.Domain, complete, out var labels, out var reason))
            {
                return (null, RdapError.BadRequest($"'{complete}' is not a domain name: {reason}"));
            }

            prefix = $"{labels.Key}.{prefix}";
        }

        return ([new SearchTerm(EntityType.Domain, prefix, true)], null!);
    }

    private static (IReadOnlyList<SearchTerm>?, RdapError) EntityTerms(string pattern, bool byHandle)
    {
        if (CheckPattern(pattern) is { } invalid)
        {
            return (null, invalid);
        }

        IEnumerable<EntityType> types = [EntityType.UserId, EntityType.Organization];
        var text = pattern;
        if (byHandle && EntityHandles.TryParse(pattern, out var kind, out var name))
        {
            if (kind == EntityHandles.Principal)
            {
                return (null, RdapError.Unprocessable("principal handles are looked up, not searched"));
            }

            types = [kind == EntityHandles.UserId ? EntityType.UserId : EntityType.Organization];
            text = name;
        }

        var isPrefix = text.EndsWith('*');
        var stem = isPrefix ? text[..^1] : text;
        var terms = new List<SearchTerm>(2);
        foreach (var type in types)
        {
            if (stem.Length > 0 && EntityCanonicalizer.TryCanonicalize(type, stem, out var entity, out _))
            {
                terms.Add(new SearchTerm(type, entity.Key, isPrefix));
            }
        }

        return terms.Count > 0 ? (terms, null!) : (null, RdapError.BadRequest($"'{pattern}' matches no valid user id or organization name"));
    }

    private static RdapError? CheckPattern(string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        return pattern.Length is 0 or > MaxPatternLength ? RdapError.BadRequest($"a search pattern is 1-{MaxPatternLength} characters")
            : pattern == "*" ? RdapError.Unprocessable("a search pattern needs at least one character before *")
            : star >= 0 && star != pattern.Length - 1 ? RdapError.Unprocessable("only a single trailing * is supported")
            : null;
    }

    /// <summary>
    /// A cursor is the page it continues and where the last page ended, with a MAC under a per-process key over
    /// that and the search it belongs to: a client can neither forge a position nor reset the result cap.
    /// </summary>
    public static string EncodeCursor(SearchCursor cursor, string parameter, string pattern)
    {
        var payload = Encoding.UTF8.GetBytes(CursorPayload(cursor, parameter, pattern));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(CursorMac(payload));
    }

    private static bool TryDecodeCursor(string text, string parameter, string pattern, string sort, out SearchCursor? cursor)
    {
        cursor = null;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        byte[] payload, mac;
        try
        {
            if (text.Length > 2048 || dot < 0)
            {
                return false;
            }

            payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, CursorMac(payload)))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 8 || parts[0] != "c2" || parts[2] != sort || parts[3] != parameter || parts[4] != pattern
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page)
            || !long.TryParse(parts[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
            || !EntityTypes.TryParse(parts[6], out var type))
        {
            return false;
        }

        cursor = new SearchCursor(new SearchPosition(DateTimeOffset.FromUnixTimeMilliseconds(at), parts[7], type), page, sort);
        return true;
    }

    private static string CursorPayload(SearchCursor cursor, string parameter, string pattern) => string.Join('\n',
        "c2", cursor.PageNumber.ToString(CultureInfo.InvariantCulture), cursor.Sort, parameter, pattern,
        cursor.After.RegisteredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), cursor.After.Type.ToWire(), cursor.After.Key);

    private static byte[] CursorMac(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(CursorKey, payload)[..16];

    private static readonly byte[] CursorKey = RandomNumberGenerator.GetBytes(32);
}
