using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>Keyset searches every store must answer the same way (RDAP searches page through them).</summary>
public abstract partial class RegistryStoreContract
{
    [SkippableFact]
    public async Task Prefix_searches_page_by_key_in_both_directions_and_count_matches()
    {
        foreach (var key in (string[])["ab.example", "aa.example", "ac.example", "b.example"])
        {
            await Store.RegisterAsync(Registration(key));
        }

        await Store.RegisterAsync(Registration("aa.example", type: EntityType.UserId));
        SearchTerm[] terms = [new(EntityType.Domain, "a", IsPrefix: true)];

        var first = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.NameAscending, null, 2));
        Assert.Equal(["aa.example", "ab.example"], first.Select(r => r.Key));
        var last = first[^1];
        var second = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.NameAscending, new SearchPosition(last.RegisteredAt, last.Key, last.Type), 2));
        Assert.Equal(["ac.example"], second.Select(r => r.Key));
        Assert.True(RecordDigest.Matches(second[0]));

        var descending = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.NameDescending, null, 10));
        Assert.Equal(["ac.example", "ab.example", "aa.example"], descending.Select(r => r.Key));
        Assert.Equal(3, await Store.CountAsync(new RegistrySearch(terms, SearchOrder.NameAscending, null, 1)));

        SearchTerm[] both = [new(EntityType.Domain, "aa.example", IsPrefix: false), new(EntityType.UserId, "aa", IsPrefix: true)];
        var exact = await Store.SearchAsync(new RegistrySearch(both, SearchOrder.NameAscending, null, 10));
        Assert.Equal([EntityType.Domain, EntityType.UserId], exact.Select(r => r.Type).Order());
    }

    [SkippableFact]
    public async Task Searches_by_registration_time_break_ties_by_key()
    {
        var later = At.AddMinutes(1);
        await Store.RegisterAsync(Registration("m.example"));
        await Store.RegisterAsync(Core.Registry.Registration.Create(EntityType.Domain, "l.example", "l.example", "alice", null, later));
        await Store.RegisterAsync(Registration("n.example"));
        SearchTerm[] terms = [new(EntityType.Domain, "", IsPrefix: true)];

        var newestFirst = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.RegisteredDescending, null, 10));
        Assert.Equal(["l.example", "n.example", "m.example"], newestFirst.Select(r => r.Key));
        var oldestFirst = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.RegisteredAscending, null, 2));
        var after = oldestFirst[^1];
        var rest = await Store.SearchAsync(new RegistrySearch(terms, SearchOrder.RegisteredAscending, new SearchPosition(after.RegisteredAt, after.Key, after.Type), 10));
        Assert.Equal(["m.example", "n.example", "l.example"], oldestFirst.Concat(rest).Select(r => r.Key));
    }

    [SkippableFact]
    public async Task Search_patterns_are_data_not_sql()
    {
        await Store.RegisterAsync(Registration("q.example"));
        SearchTerm[] hostile = [new(EntityType.Domain, "' OR 1=1 --", IsPrefix: true), new(EntityType.Domain, "%", IsPrefix: true)];
        Assert.Empty(await Store.SearchAsync(new RegistrySearch(hostile, SearchOrder.NameAscending, null, 10)));
        Assert.Equal(0, await Store.CountAsync(new RegistrySearch(hostile, SearchOrder.NameAscending, null, 10)));
    }
}
