using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

public sealed partial class EntityIndex
{
    /// <summary>
    /// The records matching any term, in the search's order, after its position, at most its limit. Exact terms are
    /// looked up; a prefix term visits every record (the key order SQL would give is kept: UTF-8 byte order, which
    /// is code point order).
    /// </summary>
    public IReadOnlyList<EntityRecord> Search(RegistrySearch search)
    {
        if (search.Limit <= 0 || search.Terms.Count == 0)
        {
            return [];
        }

        var order = new SearchComparer(search.Order);
        // The kept records, the last in order on top, so a better candidate replaces it once the page is full.
        var kept = new PriorityQueue<EntityRecord, EntityRecord>(search.Limit + 1, Comparer<EntityRecord>.Create((a, b) => order.Compare(b, a)));
        foreach (var record in Candidates(search.Terms))
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
        }

        var page = new EntityRecord[kept.Count];
        for (var i = page.Length - 1; i >= 0; i--)
        {
            page[i] = kept.Dequeue();
        }

        return page;
    }

    /// <summary>How many records match any term.</summary>
    public long CountMatches(RegistrySearch search) => search.Terms.Count == 0 ? 0 : Candidates(search.Terms).LongCount();

    private IEnumerable<EntityRecord> Candidates(IReadOnlyList<SearchTerm> terms)
    {
        if (terms.All(term => !term.IsPrefix))
        {
            // Each exact term names one record; a term given twice still names it once.
            return terms.Select(term => Find(term.Type, term.Text)).OfType<EntityRecord>().Distinct();
        }

        return _records.Values.Where(record => terms.Any(term => Matches(term, record)));
    }

    private static bool Matches(SearchTerm term, EntityRecord record) =>
        term.Type == record.Type
        && (term.IsPrefix ? record.Key.StartsWith(term.Text, StringComparison.Ordinal) : record.Key == term.Text);

    /// <summary>Name order is (key, type); registration order is (registered at, key, type); types by their wire names.</summary>
    private sealed class SearchComparer(SearchOrder order)
    {
        private readonly bool _descending = order is SearchOrder.NameDescending or SearchOrder.RegisteredDescending;
        private readonly bool _byRegistration = order is SearchOrder.RegisteredAscending or SearchOrder.RegisteredDescending;

        public int Compare(EntityRecord a, EntityRecord b) => Directed(Compare(a.RegisteredAt, a.Key, a.Type, b.RegisteredAt, b.Key, b.Type));

        public int Compare(EntityRecord a, SearchPosition b) => Directed(Compare(a.RegisteredAt, a.Key, a.Type, b.RegisteredAt, b.Key, b.Type));

        private int Directed(int comparison) => _descending ? -comparison : comparison;

        private int Compare(DateTimeOffset atA, string keyA, EntityType typeA, DateTimeOffset atB, string keyB, EntityType typeB)
        {
            var c = _byRegistration ? atA.ToUnixTimeMilliseconds().CompareTo(atB.ToUnixTimeMilliseconds()) : 0;
            if (c == 0)
            {
                c = CodePointOrder(keyA, keyB);
            }

            return c != 0 ? c : string.CompareOrdinal(typeA.ToWire(), typeB.ToWire());
        }
    }

    /// <summary>
    /// Compares strings in code point order, which is also the byte order of their UTF-8 forms (SQL's binary text
    /// order): ordinal UTF-16 order except that a surrogate pair sorts above the code units U+E000 to U+FFFF.
    /// </summary>
    public static int CodePointOrder(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            int x = a[i], y = b[i];
            if (x != y)
            {
                return Lift(x) - Lift(y);
            }
        }

        return a.Length - b.Length;

        // Moves surrogates (D800-DFFF) above E000-FFFF and keeps every other unit's order.
        static int Lift(int unit) => unit >= 0xE000 ? unit - 0x800 : unit >= 0xD800 ? unit + 0x2000 : unit;
    }
}
