using System.Runtime;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Tests.Registry;

public sealed class EntityIndexTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static EntityRecord Record(string key, EntityType type = EntityType.UserId, int minutes = 0, long index = 0) =>
        new(type, key, key, "alice", null, At.AddMinutes(minutes), index, null);

    private static RegistrySearch Prefix(string text, SearchOrder order, int limit = 10, SearchPosition? after = null, EntityType type = EntityType.UserId) =>
        new([new SearchTerm(type, text, IsPrefix: true)], order, after, limit);

    [Fact]
    public void Names_sort_in_code_point_order_as_sqls_binary_text_order_does()
    {
        // UTF-16 ordinal order would put the emoji (a surrogate pair) before U+FFFD; UTF-8 bytes and code points put it after.
        string[] keys = ["b", "a", "\u00e9", "\ufffd", "\U0001F600", "ab"];
        var index = new EntityIndex();
        foreach (var key in keys)
        {
            index.Set(Record(key));
        }

        var expected = keys.OrderBy(k => System.Text.Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToArray();
        Assert.Equal(["a", "ab", "b", "\u00e9", "\ufffd", "\U0001F600"], expected);
        Assert.Equal(expected, index.Search(Prefix("", SearchOrder.NameAscending)).Select(r => r.Key));
        Assert.Equal(expected.Reverse(), index.Search(Prefix("", SearchOrder.NameDescending)).Select(r => r.Key));
    }

    [Fact]
    public void Pages_follow_each_other_without_gaps_or_repeats_in_every_order()
    {
        var index = new EntityIndex();
        for (var i = 0; i < 57; i++)
        {
            // Registration times repeat, so ties are broken by key.
            index.Set(Record($"k{i % 13:00}-{i}", minutes: i % 5));
        }

        index.Set(Record("k00-0", EntityType.Domain));
        foreach (var order in Enum.GetValues<SearchOrder>())
        {
            var all = index.Search(Prefix("k", order, limit: 1000));
            Assert.Equal(57, all.Count);
            var paged = new List<EntityRecord>();
            SearchPosition? after = null;
            while (index.Search(Prefix("k", order, limit: 7, after)) is { Count: > 0 } page)
            {
                paged.AddRange(page);
                after = new SearchPosition(page[^1].RegisteredAt, page[^1].Key, page[^1].Type);
            }

            Assert.Equal(all.Select(r => r.Key), paged.Select(r => r.Key));
            Assert.Equal(57, index.CountMatches(Prefix("k", order)));
        }
    }

    [Theory]
    [InlineData(40)]      // few matches: sorted whole
    [InlineData(5000)]    // more than 4,096: registration order walked
    public void Registration_order_pages_agree_whether_matches_are_sorted_or_walked_and_loaded_or_added(int count)
    {
        var added = new EntityIndex();
        var loaded = new EntityIndex();
        loaded.BeginLoad();
        for (var i = 0; i < count; i++)
        {
            var record = Record($"n{i}", minutes: (i * 7919) % 97);
            added.Set(record);
            loaded.Set(record);
            added.Set(Record($"other{i}", minutes: i % 3));   // not matched by the prefix
        }

        loaded.EndLoad();
        added.Remove(EntityType.UserId, "n3");
        loaded.Remove(EntityType.UserId, "n3");
        foreach (var order in (SearchOrder[])[SearchOrder.RegisteredAscending, SearchOrder.RegisteredDescending])
        {
            var expected = Enumerable.Range(0, count).Where(i => i != 3).Select(i => Record($"n{i}", minutes: (i * 7919) % 97))
                .OrderBy(r => r.RegisteredAt).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Key).ToList();
            if (order == SearchOrder.RegisteredDescending)
            {
                expected.Reverse();
            }

            foreach (var index in (EntityIndex[])[added, loaded])
            {
                var paged = new List<string>();
                SearchPosition? after = null;
                while (paged.Count < 60 && index.Search(Prefix("n", order, limit: 20, after)) is { Count: > 0 } page)
                {
                    paged.AddRange(page.Select(r => r.Key));
                    after = new SearchPosition(page[^1].RegisteredAt, page[^1].Key, page[^1].Type);
                }

                Assert.Equal(expected.Take(60), paged);
                Assert.Equal(count - 1, index.CountMatches(Prefix("n", order)));
            }
        }
    }

    [Fact]
    public void A_large_load_runs_without_garbage_collections_and_gives_them_back_when_it_ends()
    {
        var before = GCSettings.LatencyMode;
        var index = new EntityIndex();
        index.BeginLoad(100_000);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        for (var i = 0; i < 1000; i++)
        {
            index.Set(Record($"r{i}", index: i));
        }

        // What the load made is collected once, so it is old before the first requests, not in their way.
        var full = GC.CollectionCount(GC.MaxGeneration);
        index.EndLoad();
        Assert.Equal(before, GCSettings.LatencyMode);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > full);
        Assert.Equal(1000, index.Count);
        Assert.Equal(1000, index.Search(Prefix("r", SearchOrder.NameAscending, limit: 2000)).Count);
    }

    [Fact]
    public void A_small_load_runs_with_collections_as_usual()
    {
        var before = GCSettings.LatencyMode;
        var index = new EntityIndex();
        index.BeginLoad(99_999);
        Assert.Equal(before, GCSettings.LatencyMode);
        index.Set(Record("small"));
        index.EndLoad();
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_load_that_allocates_more_than_it_asked_for_ends_as_usual()
    {
        var before = GCSettings.LatencyMode;
        var index = new EntityIndex();
        index.BeginLoad(100_000);
        var collections = GC.CollectionCount(0);
        for (var i = 0; i < 1000 && GC.CollectionCount(0) == collections; i++)
        {
            GC.KeepAlive(new byte[1 << 20]);
        }

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        index.Set(Record("kept"));
        index.EndLoad();
        Assert.Equal(before, GCSettings.LatencyMode);
        Assert.Single(index.Search(Prefix("kept", SearchOrder.NameAscending)));
    }

    [Fact]
    public void A_registration_removed_in_the_batch_that_made_it_is_listed_once()
    {
        // The writer applies each write's change, then notes every entry the batch appended.
        var index = new EntityIndex();
        index.Set(Record("x.example", EntityType.Domain, index: 10));
        index.Remove(EntityType.Domain, "x.example");
        index.AddEntry(EntityType.Domain, "x.example", 10);
        index.AddEntry(EntityType.Domain, "x.example", 11);
        Assert.Equal([10L, 11L], index.EntriesAbout(EntityType.Domain, "x.example"));
    }

    [Fact]
    public void Exact_terms_find_one_record_each_and_removed_records_are_gone()
    {
        var index = new EntityIndex();
        index.Set(Record("a.example", EntityType.Domain));
        index.Set(Record("b.example", EntityType.Domain));
        RegistrySearch exact = new([new(EntityType.Domain, "a.example", false), new(EntityType.Domain, "a.example", false), new(EntityType.Domain, "c.example", false)],
            SearchOrder.NameAscending, null, 10);
        Assert.Equal(["a.example"], index.Search(exact).Select(r => r.Key));

        index.Remove(EntityType.Domain, "a.example");
        Assert.Empty(index.Search(exact));
        Assert.Equal(["b.example"], index.Search(Prefix("", SearchOrder.NameAscending, type: EntityType.Domain)).Select(r => r.Key));
    }

    [Fact]
    public void An_entitys_entries_are_kept_in_log_order_across_removal_and_registration()
    {
        var index = new EntityIndex();
        index.AddEntry(EntityType.Domain, "a.example", 1);   // a report before it was registered
        index.Set(Record("a.example", EntityType.Domain, index: 3));
        index.AddEntry(EntityType.Domain, "a.example", 3);   // its registration: named by the record
        index.AddEntry(EntityType.Domain, "b.example", 4);
        index.AddEntry(EntityType.Domain, "a.example", 9);
        Assert.Equal([1L, 3L, 9L], index.EntriesAbout(EntityType.Domain, "a.example"));

        index.Remove(EntityType.Domain, "a.example");
        index.AddEntry(EntityType.Domain, "a.example", 12);  // the removal
        Assert.Equal([1L, 3L, 9L, 12L], index.EntriesAbout(EntityType.Domain, "a.example"));
        index.Set(Record("a.example", EntityType.Domain, index: 15));
        index.AddEntry(EntityType.Domain, "a.example", 15);
        Assert.Equal([1L, 3L, 9L, 12L, 15L], index.EntriesAbout(EntityType.Domain, "a.example"));
        Assert.Equal([4L], index.EntriesAbout(EntityType.Domain, "b.example"));
        Assert.Empty(index.EntriesAbout(EntityType.UserId, "a.example"));
    }

    [Fact]
    public void An_entitys_reputation_is_replaced_whole_so_a_reader_keeps_what_it_read()
    {
        var index = new EntityIndex();
        var entity = new CanonicalEntity(EntityType.Domain, "spam.example", "spam.example");
        var at = DateTimeOffset.UnixEpoch.AddDays(20000);
        index.SetAggregate(entity.Type, entity.Key, ReputationAssertions.Spam, new ReputationAggregate(1, 1, 1, at));
        index.SetNorm(ReputationAssertions.Spam, new ReputationAggregate(1, 1, 1, at));
        var read = index.Reputation(entity);
        var norms = index.Norms;

        index.SetAggregate(entity.Type, entity.Key, ReputationAssertions.Spam, new ReputationAggregate(2, 2, 1, at));
        index.SetAllowlisted(entity.Type, entity.Key, new AllowlistEntry("a newsletter", "root", at));
        index.SetNorm(ReputationAssertions.Spam, ReputationAggregate.Empty);

        Assert.Equal(1, read.Assertions[ReputationAssertions.Spam].Count);
        Assert.Null(read.Allowlisted);
        Assert.Equal(1, norms[ReputationAssertions.Spam].Count);
        Assert.Equal(2, index.Reputation(entity).Assertions[ReputationAssertions.Spam].Count);
        Assert.Equal("a newsletter", index.Reputation(entity).Allowlisted?.Reason);
        Assert.Empty(index.Norms);

        // An aggregate that counts nothing and no allowlist entry: nothing is held for the entity.
        index.SetAggregate(entity.Type, entity.Key, ReputationAssertions.Spam, ReputationAggregate.Empty);
        Assert.Empty(index.Reputation(entity).Assertions);
        index.SetAllowlisted(entity.Type, entity.Key, null);
        var none = index.Reputation(entity);
        Assert.Equal((entity.Type, entity.Key, entity.Value), (none.Type, none.Key, none.Value));
        Assert.Empty(none.Assertions);
        Assert.Null(none.Allowlisted);
    }

    [Theory]
    [InlineData(3, 9)]
    [InlineData(9, 3)]
    public void Of_two_loaded_rows_for_one_name_the_later_entrys_is_kept_whatever_the_order_they_arrive_in(long first, long second)
    {
        // Rows load in parallel, in no set order; an edited database can hold two rows for a name.
        var index = new EntityIndex();
        index.BeginLoad(2);
        index.Set(Record("twice.example", EntityType.Domain, index: first));
        index.Set(Record("twice.example", EntityType.Domain, index: second));
        index.EndLoad();

        Assert.Equal(9, index.Find(EntityType.Domain, "twice.example")!.LogIndex);
        Assert.Equal([9L], index.Search(Prefix("twice", SearchOrder.NameAscending, type: EntityType.Domain)).Select(r => r.LogIndex));
    }
}
