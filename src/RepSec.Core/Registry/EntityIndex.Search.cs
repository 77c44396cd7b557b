using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

public sealed partial class EntityIndex
{
    /// <summary>Above this many matches of a prefix, a search in registration order walks that order instead of sorting the matches.</summary>
    private const int SortedMatchesAtMost = 4096;

    private static readonly SearchComparer ByName = new(SearchOrder.NameAscending);
    private static readonly SearchComparer ByRegistration = new(SearchOrder.RegisteredAscending);

    // The type whose wire name sorts first: a range's low bound with it is below every record of its key.
    private static readonly EntityType FirstType = EntityTypes.All.MinBy(type => type.ToWire(), StringComparer.Ordinal);

    // The records in name order and in registration order, for searches; guarded by locking _guard.
    private readonly Lock _guard = new();
    private SortedSet<EntityRecord> _ordered = new(ByName);
    private SortedSet<EntityRecord> _byRegistration = new(ByRegistration);

    /// <summary>
    /// Sorts every record loaded on a thread of its own, at the lowest priority, so the server is ready without
    /// waiting for it and requests come first: searches wait until the sets are built, and changes made meanwhile
    /// queue and are applied after.
    /// </summary>
    private void StartSorting()
    {
        new Thread(() =>
        {
            BackgroundPriority.LowerCurrentThread();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            int count;
            lock (_guard)
            {
                // Sorted once, then a balanced tree made in one pass, instead of one insert per record; both orders at once.
                var all = _records.Select(pair => pair.Value).ToArray();
                count = all.Length;
                // The second order on a second thread of its own (a pool thread's priority could not be raised back).
                var second = new Thread(() =>
                {
                    BackgroundPriority.LowerCurrentThread();
                    _byRegistration = new SortedSet<EntityRecord>(all, ByRegistration);
                }) { IsBackground = true, Name = "repsec-index-sort" };
                second.Start();
                _ordered = new SortedSet<EntityRecord>(all, ByName);
                second.Join();
                ApplyQueued();
            }

            _built.Set();
            _searchOrder.TrySetResult((count, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
        }) { IsBackground = true, Name = "repsec-index-sort" }.Start();
    }

    private readonly TaskCompletionSource<(int Count, TimeSpan Took)> _searchOrder = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the records loaded at start are in search order: how many, and how long sorting them took.</summary>
    public Task<(int Count, TimeSpan Took)> SearchOrderBuilt => _searchOrder.Task;

    // Set once the sorted sets hold every record loaded; searches and the queue's application wait for it.
    private readonly ManualResetEventSlim _built = new(initialState: true);

    // Changes not yet in the sorted sets, in the order the single writer made them: the writer only queues them (a tree
    // insert costs it microseconds it does not have); the next search, or a thread-pool item once many wait, applies them.
    private readonly ConcurrentQueue<(EntityRecord Record, bool Added)> _unordered = new();
    private int _waiting;
    private int _applyQueued;
    private const int ApplyAfter = 4096;

    private void Order(EntityRecord record) => Queue(record, added: true);

    private void Unorder(EntityRecord record) => Queue(record, added: false);

    private void Queue(EntityRecord record, bool added)
    {
        if (_loading)
        {
            return;
        }

        _unordered.Enqueue((record, added));
        if (Interlocked.Increment(ref _waiting) >= ApplyAfter && Interlocked.Exchange(ref _applyQueued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static index =>
            {
                index._built.Wait();
                lock (index._guard)
                {
                    index.ApplyQueued();
                }

                Volatile.Write(ref index._applyQueued, 0);
            }, this, preferLocal: false);
        }
    }

    /// <summary>Brings the sorted sets up to every change queued so far; under the guard.</summary>
    private void ApplyQueued()
    {
        while (_unordered.TryDequeue(out var change))
        {
            Interlocked.Decrement(ref _waiting);
            if (change.Added)
            {
                _ordered.Add(change.Record);
                _byRegistration.Add(change.Record);
            }
            else
            {
                _ordered.Remove(change.Record);
                _byRegistration.Remove(change.Record);
            }
        }
    }

    /// <summary>
    /// The records matching any term, in the search's order, after its position, at most its limit, in the order SQL
    /// would give (keys in UTF-8 byte order, which is code point order). Exact terms are looked up; a prefix reads the
    /// range of names it covers, or, in registration order when it matches many, walks that order until the page is full.
    /// </summary>
    public IReadOnlyList<EntityRecord> Search(RegistrySearch search)
    {
        if (search.Limit <= 0 || search.Terms.Count == 0)
        {
            return [];
        }

        var order = new SearchComparer(search.Order);
        _built.Wait();
        lock (_guard)
        {
            ApplyQueued();
            if (search.Terms.All(term => !term.IsPrefix))
            {
                return Page(search.Terms.Select(term => Find(term.Type, term.Text)).OfType<EntityRecord>().Distinct(), order, search, inOrder: false);
            }

            if (!order.ByRegistration)
            {
                // Each term's range from the position on (which it may include), in the search's direction: one page from each is enough.
                return Page(search.Terms.SelectMany(term => InRange(term, order.Descending, search.After).Take(search.Limit + 1)), order, search, inOrder: false);
            }

            var matches = search.Terms.SelectMany(term => InRange(term, descending: false, after: null)).Take(SortedMatchesAtMost + 1).ToList();
            return matches.Count <= SortedMatchesAtMost
                ? Page(matches, order, search, inOrder: false)
                : Page(Walk(_byRegistration, order.Descending, search.After, search.Terms), order, search, inOrder: true);
        }
    }

    /// <summary>How many records match any term.</summary>
    public long CountMatches(RegistrySearch search)
    {
        _built.Wait();
        lock (_guard)
        {
            ApplyQueued();
            return search.Terms
                .SelectMany(term => term.IsPrefix ? InRange(term, descending: false, after: null) : new[] { Find(term.Type, term.Text) }.OfType<EntityRecord>())
                .Distinct().LongCount();
        }
    }

    /// <summary>
    /// The best <see cref="RegistrySearch.Limit"/> candidates after the position, in order. Candidates may arrive in any
    /// order; when they arrive <paramref name="inOrder"/>, the first full page is the answer.
    /// </summary>
    private static EntityRecord[] Page(IEnumerable<EntityRecord> candidates, SearchComparer order, RegistrySearch search, bool inOrder)
    {
        // The kept records, the last in order on top, so a better candidate replaces it once the page is full.
        var kept = new PriorityQueue<EntityRecord, EntityRecord>(search.Limit + 1, Comparer<EntityRecord>.Create((a, b) => order.Compare(b, a)));
        foreach (var record in candidates)
        {
            if (search.After is { } after && order.Compare(record, after) <= 0)
            {
                continue;
            }

            if (kept.Count < search.Limit)
            {
                kept.Enqueue(record, record);
            }
            else if (order.Compare(record, kept.Peek()) < 0)
            {
                kept.DequeueEnqueue(record, record);
            }

            if (inOrder && kept.Count == search.Limit)
            {
                break;
            }
        }

        var page = new EntityRecord[kept.Count];
        for (var i = page.Length - 1; i >= 0; i--)
        {
            page[i] = kept.Dequeue();
        }

        return page;
    }

    /// <summary>The records of the term's type whose key starts with its text, in name order, from after the position.</summary>
    private IEnumerable<EntityRecord> InRange(SearchTerm term, bool descending, SearchPosition? after)
    {
        var low = Probe(term.Text, FirstType, DateTimeOffset.MinValue);
        var high = Probe(RegistrySearch.UpperBound(term.Text), FirstType, DateTimeOffset.MinValue);
        if (after is { } position)
        {
            var at = Probe(position.Key, position.Type, position.RegisteredAt);
            if (descending ? ByName.Compare(at, high) < 0 : ByName.Compare(at, low) > 0)
            {
                (low, high) = descending ? (low, at) : (at, high);
            }
        }

        if (ByName.Compare(low, high) > 0)
        {
            return [];
        }

        var view = _ordered.GetViewBetween(low, high);
        return (descending ? view.Reverse() : view).Where(record => Matches(term, record));
    }

    /// <summary>The records in registration order, from after the position, that match any term.</summary>
    private static IEnumerable<EntityRecord> Walk(SortedSet<EntityRecord> byRegistration, bool descending, SearchPosition? after, IReadOnlyList<SearchTerm> terms)
    {
        IEnumerable<EntityRecord> records = byRegistration;
        if (after is { } position)
        {
            var at = Probe(position.Key, position.Type, position.RegisteredAt);
            records = descending
                ? byRegistration.Min is { } min && ByRegistration.Compare(min, at) <= 0 ? byRegistration.GetViewBetween(min, at) : []
                : byRegistration.Max is { } max && ByRegistration.Compare(at, max) <= 0 ? byRegistration.GetViewBetween(at, max) : [];
        }

        if (descending)
        {
            records = records is SortedSet<EntityRecord> set ? set.Reverse() : records.Reverse();
        }

        return records.Where(record => terms.Any(term => Matches(term, record)));
    }

    private static EntityRecord Probe(string key, EntityType type, DateTimeOffset at) => new(type, key, key, "", null, at, -1, null);

    private static bool Matches(SearchTerm term, EntityRecord record) =>
        term.Type == record.Type
        && (term.IsPrefix ? record.Key.StartsWith(term.Text, StringComparison.Ordinal) : record.Key == term.Text);

    /// <summary>Name order is (key, type); registration order is (registered at, key, type); types by their wire names.</summary>
    private sealed class SearchComparer(SearchOrder order) : IComparer<EntityRecord>
    {
        public bool Descending { get; } = order is SearchOrder.NameDescending or SearchOrder.RegisteredDescending;

        public bool ByRegistration { get; } = order is SearchOrder.RegisteredAscending or SearchOrder.RegisteredDescending;

        // Optimized from the first call: the sort at start makes tens of millions of comparisons at once, before tiering would.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Compare(EntityRecord? a, EntityRecord? b) => Directed(Compare(a!.RegisteredAt, a.Key, a.Type, b!.RegisteredAt, b.Key, b.Type));

        public int Compare(EntityRecord a, SearchPosition b) => Directed(Compare(a.RegisteredAt, a.Key, a.Type, b.RegisteredAt, b.Key, b.Type));

        private int Directed(int comparison) => Descending ? -comparison : comparison;

        private int Compare(DateTimeOffset atA, string keyA, EntityType typeA, DateTimeOffset atB, string keyB, EntityType typeB)
        {
            var c = ByRegistration ? atA.ToUnixTimeMilliseconds().CompareTo(atB.ToUnixTimeMilliseconds()) : 0;
            if (c == 0)
            {
                c = CodePointOrder(keyA, keyB);
            }

            return c != 0 || typeA == typeB ? c : string.CompareOrdinal(typeA.ToWire(), typeB.ToWire());
        }
    }

    /// <summary>
    /// Compares strings in code point order, which is also the byte order of their UTF-8 forms (SQL's binary text
    /// order): ordinal UTF-16 order except that a surrogate pair sorts above the code units U+E000 to U+FFFF.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CodePointOrder(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common < a.Length && common < b.Length)
        {
            return Lift(a[common]) - Lift(b[common]);
        }

        return a.Length - b.Length;

        // Moves surrogates (D800-DFFF) above E000-FFFF and keeps every other unit's order.
        static int Lift(int unit) => unit >= 0xE000 ? unit - 0x800 : unit >= 0xD800 ? unit + 0x2000 : unit;
    }
}
