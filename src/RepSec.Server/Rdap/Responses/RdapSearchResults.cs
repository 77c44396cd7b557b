using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Rdap.Responses;

/// <summary>One page of search results, with RFC 8977 paging and sorting metadata and the RFC 9083 truncation notice.</summary>
internal sealed record SearchPage(
    IReadOnlyList<EntityRecord> Records,
    IReadOnlyDictionary<string, Contact> Contacts,
    int PageNumber,
    int PageSize,
    long? TotalCount,
    string? NextCursor,
    bool Truncated);

internal sealed partial class RdapWriter
{
    public void WriteSearch(RdapQueryKind kind, SearchRequest search, SearchPage page)
    {
        var arrayName = kind == RdapQueryKind.DomainSearch ? "domainSearchResults" : "entitySearchResults";
        var path = kind == RdapQueryKind.DomainSearch ? "/rdap/domains" : "/rdap/entities";
        var baseQuery = $"{path}?{search.Parameter}={Uri.EscapeDataString(search.Pattern)}{(search.Count ? "&count=true" : "")}";
        var sort = $"{search.SortProperty}:{(search.Descending ? 'd' : 'a')}";

        Json.WriteStartObject();
        WriteConformance(search: true);
        if (page.Truncated)
        {
            WriteNotices(("Search Policy", "result set truncated due to excessive load",
                [$"Searches return at most {View.Options.MaxSearchResults} results; narrow the pattern to see the rest."]));
        }
        else
        {
            WriteNotices();
        }

        var self = View.Url(baseQuery + (search.ExplicitSort ? "&sort=" + sort : "")
            + (search.Cursor is { } cursor ? "&cursor=" + RdapQueryParser.EncodeCursor(cursor, search.Parameter, search.Pattern) : ""));
        WriteSelfLinks(self);
        Json.WriteStartArray(arrayName);
        for (var i = 0; i < page.Records.Count; i++)
        {
            var record = page.Records[i];
            WriteSearchItem(record, page.Contacts.GetValueOrDefault(record.Owner), i, arrayName);
        }

        Json.WriteEndArray();

        Json.WriteStartObject("paging_metadata");
        if (page.TotalCount is { } total)
        {
            Json.WriteNumber("totalCount", total);
        }

        Json.WriteNumber("pageSize", page.PageSize);
        Json.WriteNumber("pageNumber", page.PageNumber);
        if (page.NextCursor is { } next)
        {
            Json.WriteStartArray("links");
            var href = View.Url($"{baseQuery}{(search.ExplicitSort ? "&sort=" + sort : "")}&cursor={next}");
            WriteLink(self, "next", href, MediaType, "Result Pagination Link");
            Json.WriteEndArray();
        }

        Json.WriteEndObject();

        Json.WriteStartObject("sorting_metadata");
        Json.WriteString("currentSort", sort);
        Json.WriteStartArray("availableSorts");
        (string Property, string JsonPath)[] sorts = kind == RdapQueryKind.DomainSearch
            ? [("name", $"$.{arrayName}[*].ldhName")]
            : [("fn", $"$.{arrayName}[*].vcardArray[1][?(@[0]=='fn')][3]"), ("handle", $"$.{arrayName}[*].handle")];
        sorts = [.. sorts, (RdapQueryParser.RegistrationDate, $"$.{arrayName}[*].events[?(@.eventAction=='registration')].eventDate")];
        foreach (var (property, jsonPath) in sorts)
        {
            Json.WriteStartObject();
            Json.WriteString("property", property);
            Json.WriteString("jsonPath", jsonPath);
            Json.WriteBoolean("default", property == sorts[0].Property);
            Json.WriteStartArray("links");
            foreach (var direction in (ReadOnlySpan<char>)['a', 'd'])
            {
                WriteLink(self, "alternate", View.Url($"{baseQuery}&sort={property}:{direction}"), MediaType,
                    direction == 'a' ? "Result Ascending Sort Link" : "Result Descending Sort Link");
            }

            Json.WriteEndArray();
            Json.WriteEndObject();
        }

        Json.WriteEndArray();
        Json.WriteEndObject();
        Json.WriteEndObject();
    }

    public void WriteHelp(IReadOnlyList<string> authMethods, string? signatureKeys)
    {
        Json.WriteStartObject();
        WriteConformance(search: true);
        var lines = new List<string>
        {
            "Lookups: /rdap/domain/NAME, /rdap/ip/ADDRESS, /rdap/ip/PREFIX/LENGTH, /rdap/autnum/NUMBER, /rdap/entity/HANDLE.",
            "Entity handles: userid:ID, organization:NAME, principal:NAME.",
            "Searches: /rdap/domains?name=PATTERN, /rdap/entities?fn=PATTERN, /rdap/entities?handle=PATTERN; a single trailing * matches a prefix; sort, cursor and count as in RFC 8977.",
            $"Authentication: {string.Join(", ", authMethods)}. The same queries under /rdap/auth/ require it (for clients that wait for a challenge).",
            "Contact data is disclosed by authorization; what is withheld is listed in the redacted member (RFC 9537).",
        };
        if (signatureKeys is not null)
        {
            lines.Add($"Responses are signed (RFC 9421) when requested with Accept-Signature; the keys are at {signatureKeys}.");
        }

        WriteNotices(("Help", null, [.. lines]));
        Json.WriteEndObject();
    }
}
