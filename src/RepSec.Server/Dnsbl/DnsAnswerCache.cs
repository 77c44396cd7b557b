using System.Collections.Concurrent;
using System.IO.Hashing;

namespace RepSec.Server.Dnsbl;

/// <summary>
/// The DNSBL's UDP answers by query: the same query bytes (everything after the two-byte id: flags, question, EDNS)
/// get the same answer bytes as long as the reputation table and the minute its scores are computed for have not
/// moved, so a repeated query is answered with the earlier answer and the query's own id, without parsing or encoding
/// anything. Entries belong to one generation (table version and minute); when the generation moves, the whole cache
/// is dropped. Only NOERROR and NXDOMAIN answers are kept (never SERVFAIL while the table loads), and at most
/// <c>capacity</c> of them.
/// </summary>
internal sealed class DnsAnswerCache(Func<(long Version, DateTimeOffset Minute)> generation, int capacity)
{
    private Entries _current = new(generation(), capacity);

    /// <summary>The entries of the current generation; the query's answer is added to what this returned at its arrival.</summary>
    public Entries Current
    {
        get
        {
            var entries = Volatile.Read(ref _current);
            var now = generation();
            if (entries.Generation == now)
            {
                return entries;
            }

            var fresh = new Entries(now, capacity);
            Interlocked.CompareExchange(ref _current, fresh, entries);
            return Volatile.Read(ref _current);
        }
    }

    internal sealed class Entries((long, DateTimeOffset) generation, int capacity)
    {
        private readonly ConcurrentDictionary<byte[], byte[]> _answers = new(Comparer.Instance);
        private int _count;

        public (long, DateTimeOffset) Generation { get; } = generation;

        public bool TryGet(ReadOnlySpan<byte> query, out byte[] answer)
        {
            var lookup = _answers.GetAlternateLookup<ReadOnlySpan<byte>>();
            return lookup.TryGetValue(query[2..], out answer!);
        }

        /// <summary>Keeps <paramref name="answer"/> for <paramref name="query"/> (both with their ids) when it is an answer worth keeping.</summary>
        public void Add(ReadOnlySpan<byte> query, ReadOnlySpan<byte> answer)
        {
            // RCODE in the low four bits of the fourth byte: 0 NOERROR, 3 NXDOMAIN.
            if (answer.Length < 12 || (answer[3] & 0x0F) is not (0 or 3) || Volatile.Read(ref _count) >= capacity)
            {
                return;
            }

            if (_answers.TryAdd(query[2..].ToArray(), answer.ToArray()))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    private sealed class Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes) => GetHashCode((ReadOnlySpan<byte>)bytes);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => (int)XxHash3.HashToUInt64(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
