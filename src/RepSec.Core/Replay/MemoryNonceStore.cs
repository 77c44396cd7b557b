using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RepSec.Core.Replay;

/// <summary>
/// The single-node nonce store. A live nonce costs 12 bytes of table (a 64-bit keyed fingerprint of scope and nonce,
/// and its expiry in seconds) at a load of 35-75%, so about 16-34 bytes; nothing per nonce is kept anywhere else.
/// Bounded three ways, so no client can push out anyone else's nonces or make the store forget live ones (which
/// would reopen the replay window): a total capacity; at most half of it per scope (a principal, or one anonymous
/// client address); and a tenth for all anonymous scopes together. A scope at its bound gets
/// <see cref="NonceOutcome.Full"/> while others carry on. Counts are kept per expiry second and scope, so they fall
/// exactly as nonces expire, and one far-future nonce never holds up the release of earlier ones.
/// </summary>
/// <remarks>
/// A fingerprint never leaves the process and its key is random per process, so no client can aim a collision at
/// another's nonce. A chance collision (about one in 10^12 per request with ten million live nonces) refuses a fresh
/// nonce as replayed; it can never accept a replay, because a replayed nonce always has the fingerprint remembered.
/// </remarks>
public sealed class MemoryNonceStore : INonceStore
{
    /// <summary>Scopes that start with this are anonymous clients (one scope per address).</summary>
    public const string AnonymousScopePrefix = "anonymous@";

    private const int ShardBits = 6;
    private const int MinShardSlots = 1024;

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly int _perScopeCapacity;
    private readonly int _anonymousCapacity;
    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private readonly long _epochSecond;
    private readonly Shard[] _shards = new Shard[1 << ShardBits];

    // Counting, all under _countLock: live nonces in total, per scope and anonymous, and per expiry second the
    // scopes whose counts fall when that second has passed.
    private readonly Lock _countLock = new();
    private readonly Dictionary<string, ScopeCount> _scopes = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Dictionary<ScopeCount, int>> _expiring = [];
    private int _total;
    private int _anonymous;
    private uint _sweptThrough;

    public MemoryNonceStore(TimeProvider time, int capacity = RepSecOptions.DefaultNonceCapacity)
    {
        _time = time;
        _capacity = capacity;
        _perScopeCapacity = Math.Max(1, capacity / 2);
        _anonymousCapacity = Math.Max(1, capacity / 10);
        _epochSecond = time.GetUtcNow().ToUnixTimeSeconds() - 1;
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(MinShardSlots);
        }
    }

    /// <summary>Live nonces.</summary>
    public int Count
    {
        get
        {
            lock (_countLock)
            {
                return _total;
            }
        }
    }

    /// <summary>Bytes the fingerprint tables hold (the whole per-nonce cost).</summary>
    public long TableBytes => _shards.Sum(shard => shard.Bytes);

    public ValueTask<NonceOutcome> TryUseAsync(string scope, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var now = NowSecond();
        Sweep(now);
        var fingerprint = Fingerprint(scope, nonce);
        // Rounded up: a nonce is remembered at least until its expiry, never less.
        var unixTicks = expiresAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var expiry = (uint)Math.Clamp((unixTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond - _epochSecond, now + 1, uint.MaxValue);
        var shard = _shards[fingerprint >>> (64 - ShardBits)];
        lock (shard)
        {
            var slot = shard.Find(fingerprint, now, out var live);
            if (live)
            {
                return ValueTask.FromResult(NonceOutcome.Replayed);
            }

            if (!Reserve(scope, expiry))
            {
                return ValueTask.FromResult(NonceOutcome.Full);
            }

            shard.Put(slot, fingerprint, expiry, now);
            return ValueTask.FromResult(NonceOutcome.Fresh);
        }
    }

    private uint NowSecond() => (uint)(_time.GetUtcNow().ToUnixTimeSeconds() - _epochSecond);

    private ulong Fingerprint(string scope, string nonce)
    {
        var fingerprint = NonceFingerprint.Of(_seed, scope, nonce);
        return fingerprint == Shard.Empty ? 1 : fingerprint;
    }

    private bool Reserve(string scope, uint expiry)
    {
        var anonymous = scope.StartsWith(AnonymousScopePrefix, StringComparison.Ordinal);
        lock (_countLock)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_scopes, scope, out _);
            count ??= new ScopeCount(scope, anonymous);
            if (_total >= _capacity || count.Live >= _perScopeCapacity || (anonymous && _anonymous >= _anonymousCapacity))
            {
                if (count.Live == 0)
                {
                    _scopes.Remove(scope);
                }

                return false;
            }

            _total++;
            count.Live++;
            if (anonymous)
            {
                _anonymous++;
            }

            if (!_expiring.TryGetValue(expiry, out var scopes))
            {
                _expiring.Add(expiry, scopes = []);
            }

            CollectionsMarshal.GetValueRefOrAddDefault(scopes, count, out _)++;
            return true;
        }
    }

    /// <summary>Releases the counts of every second that has fully passed; the table drops those nonces as it grows.</summary>
    private void Sweep(uint now)
    {
        if (now <= Volatile.Read(ref _sweptThrough))
        {
            return;
        }

        lock (_countLock)
        {
            // Seconds with nothing expiring are skipped by walking the map, not the clock, when the gap is long.
            if (now - _sweptThrough > _expiring.Count)
            {
                foreach (var second in _expiring.Keys.Where(second => second <= now).ToList())
                {
                    Release(second);
                }
            }
            else
            {
                for (var second = _sweptThrough + 1; second <= now; second++)
                {
                    Release(second);
                }
            }

            Volatile.Write(ref _sweptThrough, now);
        }
    }

    private void Release(uint second)
    {
        if (!_expiring.Remove(second, out var scopes))
        {
            return;
        }

        foreach (var (count, released) in scopes)
        {
            _total -= released;
            count.Live -= released;
            if (count.Anonymous)
            {
                _anonymous -= released;
            }

            if (count.Live == 0)
            {
                _scopes.Remove(count.Scope);
            }
        }
    }

    /// <summary>A scope's live nonces; the object is the scope's key in the per-second maps.</summary>
    private sealed class ScopeCount(string scope, bool anonymous)
    {
        public string Scope { get; } = scope;

        public bool Anonymous { get; } = anonymous;

        public int Live { get; set; }
    }

    /// <summary>
    /// One open-addressing table (linear probing) of fingerprints and expiry seconds. A nonce whose second has passed
    /// stays in its slot until the slot is reused by an insert or the table is rebuilt, and probes pass over it, so a
    /// live nonce stored after it is always found.
    /// </summary>
    private sealed class Shard(int slots)
    {
        public const ulong Empty = 0;

        private ulong[] _fingerprints = new ulong[slots];
        private uint[] _expiries = new uint[slots];
        private int _used;

        public long Bytes => (long)_fingerprints.Length * (sizeof(ulong) + sizeof(uint));

        /// <summary>The slot holding <paramref name="fingerprint"/>, else the slot to put it in; <paramref name="live"/> when held and unexpired.</summary>
        public int Find(ulong fingerprint, uint now, out bool live)
        {
            var mask = _fingerprints.Length - 1;
            var slot = (int)fingerprint & mask;
            var reusable = -1;
            while (true)
            {
                var held = _fingerprints[slot];
                if (held == Empty)
                {
                    live = false;
                    return reusable >= 0 ? reusable : slot;
                }

                if (held == fingerprint)
                {
                    live = _expiries[slot] > now;
                    return slot;
                }

                if (reusable < 0 && _expiries[slot] <= now)
                {
                    reusable = slot;
                }

                slot = (slot + 1) & mask;
            }
        }

        public void Put(int slot, ulong fingerprint, uint expiry, uint now)
        {
            if (_fingerprints[slot] == Empty)
            {
                _used++;
            }

            _fingerprints[slot] = fingerprint;
            _expiries[slot] = expiry;
            if (_used > _fingerprints.Length / 4 * 3)
            {
                Rebuild(now);
            }
        }

        /// <summary>Drops expired nonces and resizes so the live ones fill at most half the table.</summary>
        private void Rebuild(uint now)
        {
            var live = 0;
            for (var i = 0; i < _fingerprints.Length; i++)
            {
                if (_fingerprints[i] != Empty && _expiries[i] > now)
                {
                    live++;
                }
            }

            var size = (int)Math.Max(MinShardSlots, BitOperations.RoundUpToPowerOf2((uint)live * 2 + 1));
            var (fingerprints, expiries) = (_fingerprints, _expiries);
            (_fingerprints, _expiries, _used) = (new ulong[size], new uint[size], 0);
            for (var i = 0; i < fingerprints.Length; i++)
            {
                if (fingerprints[i] != Empty && expiries[i] > now)
                {
                    var slot = Find(fingerprints[i], now, out _);
                    _fingerprints[slot] = fingerprints[i];
                    _expiries[slot] = expiries[i];
                    _used++;
                }
            }
        }
    }
}
