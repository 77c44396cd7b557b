using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Reputation;

/// <summary>
/// The reputation of every entity that has any, held in memory for the interfaces read at high rates (DNSBL,
/// blocklists, CrowdSec decisions). It is a projection of the change feed (<see cref="IReputationStore.GetChangesAsync"/>):
/// the feed holds each entity with reputation state once, at the position of its last change, so reading it from
/// the start loads every entity and reading on from the last position applies every later change, on one node or on
/// many sharing a store. <see cref="RefreshAsync"/> is called by the host on a timer (<c>RepSec:Reputation:TableRefreshMilliseconds</c>).
/// </summary>
public sealed class ReputationTable(IReputationStore store)
{
    private const int Page = 1000;

    private readonly ConcurrentDictionary<(EntityType Type, string Key), ReputationChange> _rows = new();
    // How many IP prefixes of each length have rows (index = length), per family, so that judging an address looks
    // up only the lengths that occur rather than all 33 (or 129).
    private readonly int[] _v4Prefixes = new int[33];
    private readonly int[] _v6Prefixes = new int[129];
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _cursor;
    private long _loaded;

    /// <summary>Entities held (each with reputation state at some time; those with none left stay, listing nothing).</summary>
    public int Count => _rows.Count;

    /// <summary>The last change-feed position applied; moves whenever anything in the table changed.</summary>
    public long Version => Volatile.Read(ref _cursor);

    /// <summary>Whether the table has been read to the end of the feed at least once.</summary>
    public bool Loaded => Volatile.Read(ref _loaded) != 0;

    /// <summary>Applies every change after the last one applied; returns how many. Concurrent calls run one at a time.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var applied = 0;
            while (true)
            {
                var changes = await store.GetChangesAsync(_cursor, Page, cancellationToken);
                foreach (var change in changes)
                {
                    Apply(change);
                }

                applied += changes.Count;
                if (changes.Count > 0)
                {
                    Volatile.Write(ref _cursor, changes[^1].Sequence);
                }

                if (changes.Count < Page)
                {
                    Volatile.Write(ref _loaded, 1);
                    return applied;
                }
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The row of one entity, or null.</summary>
    public ReputationChange? Find(EntityType type, string key) => _rows.GetValueOrDefault((type, key));

    /// <summary>Every row, in no particular order (a live view: rows changed meanwhile may show either way).</summary>
    public IEnumerable<ReputationChange> Rows => _rows.Values;

    /// <summary>
    /// The rows that bear on <paramref name="address"/>: its own, then those of every prefix with a row that covers
    /// it, most specific first; only prefixes of at most <paramref name="maxLength"/> bits when given.
    /// </summary>
    public IEnumerable<ReputationChange> Covering(IPAddress address, int? maxLength = null)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var lengths = v4 ? _v4Prefixes : _v6Prefixes;
        var bits = lengths.Length - 1;
        var bytes = address.GetAddressBytes();
        for (var length = Math.Min(bits, maxLength ?? bits); length >= 0; length--)
        {
            if (length < bits && Volatile.Read(ref lengths[length]) == 0)
            {
                continue;
            }

            var key = length == bits ? Format(bytes) : $"{Format(Mask(bytes, length))}/{length}";
            if (_rows.TryGetValue((EntityType.Ip, key), out var row))
            {
                yield return row;
            }
        }
    }

    /// <summary>The rows of the prefixes strictly covering an IP address or prefix key, most specific first.</summary>
    public IEnumerable<ReputationChange> Above(string ipKey)
    {
        var (address, length) = Network(ipKey);
        return length == 0 ? [] : Covering(address, length - 1);
    }

    /// <summary>An IP key's network address and length (an address is its own /32 or /128).</summary>
    public static (IPAddress Address, int Length) Network(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(slash < 0 ? key : key[..slash]);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return (address, slash < 0 ? bits : int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private void Apply(ReputationChange change)
    {
        var reputation = change.Reputation;
        if (_rows.TryAdd((reputation.Type, reputation.Key), change))
        {
            if (reputation.Type == EntityType.Ip && PrefixLength(reputation.Key) is var (v4, length))
            {
                Interlocked.Increment(ref (v4 ? _v4Prefixes : _v6Prefixes)[length]);
            }

            return;
        }

        _rows[(reputation.Type, reputation.Key)] = change;
    }

    /// <summary>The family and length of a canonical prefix key (<c>192.0.2.0/24</c>), or null for an address.</summary>
    private static (bool V4, int Length)? PrefixLength(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : (!key.Contains(':', StringComparison.Ordinal), int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static byte[] Mask(byte[] bytes, int length)
    {
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            masked[i] &= (byte)(0xFF << (8 - keep));
        }

        return masked;
    }

    // The canonical text the store keys addresses by (EntityCanonicalizer: RFC 5952 for IPv6).
    private static string Format(byte[] bytes) =>
        bytes.Length == 4 || !EntityCanonicalizer.TryCanonicalize(EntityType.Ip, new IPAddress(bytes).ToString(), out var entity, out _)
            ? new IPAddress(bytes).ToString()
            : entity.Key;
}
