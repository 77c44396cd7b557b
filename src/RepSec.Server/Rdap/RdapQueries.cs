using System.Collections.Concurrent;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Server.Rdap;

/// <summary>A response body and its status; disposing returns the writer.</summary>
internal sealed class RdapAnswer(int status, RdapWriter writer) : IDisposable
{
    public int Status { get; } = status;

    public ReadOnlyMemory<byte> Body => writer.WrittenMemory;

    public void Dispose() => writer.Dispose();
}

/// <summary>Answers parsed RDAP queries from the registry, the principal store and, for lookups, the reputation service.</summary>
internal sealed class RdapQueries(IRegistryStore registry, IPrincipalStore principals, ReputationService reputation, RdapOptions options, TimeProvider time)
{
    private static readonly TimeSpan ContactLifetime = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (Contact? Contact, long LoadedAt)> _contacts = new(StringComparer.Ordinal);

    /// <summary>Where the response-signing keys are published, when signing is on.</summary>
    public string? SignatureKeysPath { get; set; }

    public async ValueTask<RdapAnswer> AnswerAsync(RdapQuery query, RdapView view, IReadOnlyList<string> authMethods, CancellationToken cancellationToken)
    {
        var writer = new RdapWriter(view);
        try
        {
            var status = query.Kind switch
            {
                RdapQueryKind.Help => Help(writer, authMethods),
                RdapQueryKind.Entity => await EntityAsync(writer, query, cancellationToken),
                RdapQueryKind.DomainSearch or RdapQueryKind.EntitySearch => await SearchAsync(writer, query, cancellationToken),
                _ => await LookupAsync(writer, query.Keys, cancellationToken),
            };
            return new RdapAnswer(status, writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private int Help(RdapWriter writer, IReadOnlyList<string> authMethods)
    {
        writer.WriteHelp(authMethods, SignatureKeysPath is null ? null : writer.View.Url(SignatureKeysPath));
        return 200;
    }

    private async ValueTask<int> LookupAsync(RdapWriter writer, IReadOnlyList<(EntityType Type, string Key)> keys, CancellationToken cancellationToken)
    {
        EntityRecord? found = null;
        if (keys.Count == 1)
        {
            found = await registry.FindAsync(keys[0].Type, keys[0].Key, cancellationToken);
        }
        else
        {
            // Every enclosing prefix in one query (up to 129 for IPv6); the most specific registered one answers.
            var terms = keys.Select(k => new SearchTerm(k.Type, k.Key, IsPrefix: false)).ToList();
            var registered = await registry.SearchAsync(new RegistrySearch(terms, SearchOrder.NameAscending, null, keys.Count), cancellationToken);
            found = keys.Select(k => registered.FirstOrDefault(r => r.Type == k.Type && r.Key == k.Key)).FirstOrDefault(r => r is not null);
        }

        if (found is not null)
        {
            writer.WriteLookup(found, await ContactAsync(found.Owner, cancellationToken), await ReputationAsync(found, cancellationToken));
            return 200;
        }

        return NotFound(writer, keys.Count > 1 ? "no registered network contains that address" : "no such object is registered");
    }

    private async ValueTask<int> EntityAsync(RdapWriter writer, RdapQuery query, CancellationToken cancellationToken)
    {
        // A principal is visible only to readers allowed its handle. Others are told so whether or not it exists
        // (401 asks an anonymous reader to authenticate, 403 tells an identified one it may not), so the answer
        // reveals nothing about which principals exist.
        if (query.Keys.Count == 0 && query.PrincipalHandle is { } typed && !writer.View.Discloses(typed, DisclosurePolicy.RegistrantHandle))
        {
            if (writer.View.Reader.IsAnonymous)
            {
                return 401;
            }

            writer.WriteError(new RdapError(403, "Forbidden", "principals are shown only to readers allowed to see registrant handles"));
            return 403;
        }

        var records = new List<EntityRecord>(2);
        foreach (var (type, key) in query.Keys)
        {
            if (await registry.FindAsync(type, key, cancellationToken) is { } record)
            {
                records.Add(record);
            }
        }

        var bare = query.Keys.Count > 0 || query.PrincipalHandle is null;
        var principal = query.PrincipalHandle is { } name && (!bare || writer.View.Discloses(name, DisclosurePolicy.RegistrantHandle))
            ? await principals.FindPrincipalAsync(name, cancellationToken)
            : null;
        var matches = records.Count + (principal is null ? 0 : 1);
        if (matches > 1)
        {
            var handles = records.Select(r => EntityHandles.For(r.Type, r.Key)).Concat(principal is null ? [] : [EntityHandles.ForPrincipal(principal.Name)]);
            writer.WriteError(RdapError.BadRequest($"that handle names more than one entity; use one of: {string.Join(", ", handles)}"));
            return 400;
        }

        if (records.Count == 1)
        {
            writer.WriteLookup(records[0], await ContactAsync(records[0].Owner, cancellationToken), await ReputationAsync(records[0], cancellationToken));
            return 200;
        }

        if (principal is null)
        {
            return NotFound(writer, "no such entity");
        }

        writer.WritePrincipalLookup(principal.Name, await ContactAsync(principal.Name, cancellationToken));
        return 200;
    }

    private async ValueTask<int> SearchAsync(RdapWriter writer, RdapQuery query, CancellationToken cancellationToken)
    {
        if (query.Kind == RdapQueryKind.EntitySearch && writer.View.Reader.IsAnonymous && !options.AnonymousEntitySearch)
        {
            return 401;
        }

        var search = query.Search!;
        var pageNumber = search.Cursor?.PageNumber ?? 1;
        // Page numbers come only from cursors this server signed, so they stay within MaxSearchResults / PageSize.
        var already = (long)(pageNumber - 1) * options.PageSize;
        var room = (int)Math.Clamp(options.MaxSearchResults - already, 0, options.PageSize);
        var order = (search.SortProperty == RdapQueryParser.RegistrationDate, search.Descending) switch
        {
            (false, false) => SearchOrder.NameAscending,
            (false, true) => SearchOrder.NameDescending,
            (true, false) => SearchOrder.RegisteredAscending,
            _ => SearchOrder.RegisteredDescending,
        };
        var request = new RegistrySearch(search.Terms, order, search.Cursor?.After, Math.Max(room, 0) + 1);
        var found = room > 0 ? await registry.SearchAsync(request, cancellationToken) : [];
        var more = found.Count > room;
        var records = more ? found.Take(room).ToList() : found;
        var truncated = more && already + room >= options.MaxSearchResults;
        string? next = null;
        if (more && !truncated)
        {
            var last = records[^1];
            next = RdapQueryParser.EncodeCursor(new SearchCursor(new SearchPosition(last.RegisteredAt, last.Key, last.Type), pageNumber + 1,
                $"{search.SortProperty}:{(search.Descending ? 'd' : 'a')}"), search.Parameter, search.Pattern);
        }

        if (records.Count == 0)
        {
            // RFC 7480 section 5.3: an empty result set is a 404.
            return NotFound(writer, "no registered object matches the search");
        }

        var contacts = new Dictionary<string, Contact>(StringComparer.Ordinal);
        foreach (var owner in records.Select(r => r.Owner).Distinct(StringComparer.Ordinal))
        {
            if (await ContactAsync(owner, cancellationToken) is { } contact)
            {
                contacts[owner] = contact;
            }
        }

        long? total = search.Count ? await registry.CountAsync(request, cancellationToken) : null;
        writer.WriteSearch(query.Kind, search, new SearchPage(records, contacts, pageNumber, options.PageSize, total, next, truncated));
        return 200;
    }

    /// <summary>
    /// The registered object's reputation (for an ip network, the network's own, not the queried address's), or null
    /// when the extension is off. Search results go without: it would cost a store read per result.
    /// </summary>
    private async ValueTask<ReputationView?> ReputationAsync(EntityRecord record, CancellationToken cancellationToken) =>
        reputation.Options.Enabled
            ? await reputation.ViewAsync(new CanonicalEntity(record.Type, record.Value, record.Key), cancellationToken)
            : null;

    private async ValueTask<Contact?> ContactAsync(string principal, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_contacts.TryGetValue(principal, out var cached) && time.GetElapsedTime(cached.LoadedAt, now) < ContactLifetime)
        {
            return cached.Contact;
        }

        var contact = await principals.FindContactAsync(principal, cancellationToken);
        if (_contacts.Count >= 100_000)
        {
            _contacts.Clear();
        }

        _contacts[principal] = (contact, now);
        return contact;
    }

    private static int NotFound(RdapWriter writer, string description)
    {
        writer.WriteError(RdapError.NotFound(description));
        return 404;
    }
}
