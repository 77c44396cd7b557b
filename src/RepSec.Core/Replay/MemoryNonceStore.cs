using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace RepSec.Core.Replay;

/// <summary>
/// The single-node nonce store. Bounded three ways, so no client can push out anyone else's nonces or make the
/// store forget live ones (which would reopen the replay window): a total capacity; at most half of it per scope
/// (a principal, or one anonymous client address); and a tenth for all anonymous scopes together. A scope at its
/// bound gets <see cref="NonceOutcome.Full"/> while others carry on. Expiry is kept in per-second buckets, so one
/// far-future entry never holds up the sweeping of earlier ones.
/// </summary>
public sealed class MemoryNonceStore : INonceStore
{
    /// <summary>Scopes that start with this are anonymous clients (one scope per address).</summary>
    public const string AnonymousScopePrefix = "anonymous@";

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly int _perScopeCapacity;
    private readonly int _anonymousCapacity;
    private readonly ConcurrentDictionary<string, Entry> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _perScope = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, ConcurrentQueue<string>> _buckets = new();
    private readonly StrongBox<int> _total = new();
    private readonly StrongBox<int> _anonymous = new();
    private readonly Lock _sweepLock = new();
    private long _sweptThrough;

    public MemoryNonceStore(TimeProvider time, int capacity = 1_000_000)
    {
        _time = time;
        _capacity = capacity;
        _perScopeCapacity = Math.Max(1, capacity / 2);
        _anonymousCapacity = Math.Max(1, capacity / 10);
        _sweptThrough = Second(time.GetUtcNow().UtcTicks);
    }

    public int Count => Volatile.Read(ref _total.Value);

    public ValueTask<NonceOutcome> TryUseAsync(string scope, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().UtcTicks;
        Sweep(now);
        var key = string.Concat(scope, "\n", nonce);
        if (_live.TryGetValue(key, out var existing))
        {
            if (existing.ExpiresAt > now)
            {
                return ValueTask.FromResult(NonceOutcome.Replayed);
            }

            Forget(key, existing);
        }

        var entry = new Entry(expiresAt.UtcTicks, _perScope.GetOrAdd(scope, static _ => new()),
            scope.StartsWith(AnonymousScopePrefix, StringComparison.Ordinal));
        if (!Reserve(entry))
        {
            return ValueTask.FromResult(NonceOutcome.Full);
        }

        if (!_live.TryAdd(key, entry))
        {
            Release(entry);
            return ValueTask.FromResult(NonceOutcome.Replayed);
        }

        _buckets.GetOrAdd(Second(entry.ExpiresAt) + 1, static _ => new()).Enqueue(key);
        return ValueTask.FromResult(NonceOutcome.Fresh);
    }

    private bool Reserve(Entry entry)
    {
        if (!Take(_total, _capacity))
        {
            return false;
        }

        if (!Take(entry.Scope, _perScopeCapacity))
        {
            Interlocked.Decrement(ref _total.Value);
            return false;
        }

        if (entry.Anonymous && !Take(_anonymous, _anonymousCapacity))
        {
            Interlocked.Decrement(ref _total.Value);
            Interlocked.Decrement(ref entry.Scope.Value);
            return false;
        }

        return true;
    }

    private void Release(Entry entry)
    {
        Interlocked.Decrement(ref _total.Value);
        Interlocked.Decrement(ref entry.Scope.Value);
        if (entry.Anonymous)
        {
            Interlocked.Decrement(ref _anonymous.Value);
        }
    }

    private static bool Take(StrongBox<int> counter, int bound)
    {
        if (Interlocked.Increment(ref counter.Value) <= bound)
        {
            return true;
        }

        Interlocked.Decrement(ref counter.Value);
        return false;
    }

    private void Forget(string key, Entry entry)
    {
        if (_live.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
        {
            Release(entry);
        }
    }

    /// <summary>Drops the buckets of every second that has fully passed; one sweeper at a time, others skip.</summary>
    private void Sweep(long now)
    {
        var through = Second(now);
        if (through <= Volatile.Read(ref _sweptThrough) || !_sweepLock.TryEnter())
        {
            return;
        }

        try
        {
            for (var second = _sweptThrough + 1; second <= through; second++)
            {
                if (!_buckets.TryRemove(second, out var bucket))
                {
                    continue;
                }

                foreach (var key in bucket)
                {
                    if (_live.TryGetValue(key, out var entry) && entry.ExpiresAt <= now)
                    {
                        Forget(key, entry);
                    }
                }
            }

            Volatile.Write(ref _sweptThrough, through);
            foreach (var (scope, counter) in _perScope)
            {
                // A retired counter still referenced by an in-flight entry is only decremented by that entry.
                if (Volatile.Read(ref counter.Value) == 0)
                {
                    _perScope.TryRemove(new KeyValuePair<string, StrongBox<int>>(scope, counter));
                }
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    private static long Second(long ticks) => ticks / TimeSpan.TicksPerSecond;

    /// <summary>A live nonce: when it may be forgotten, and the scope counter it was counted against.</summary>
    private sealed record Entry(long ExpiresAt, StrongBox<int> Scope, bool Anonymous);
}
