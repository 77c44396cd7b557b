using System.Collections.Concurrent;

namespace RepSec.Core.Replay;

/// <summary>
/// The single-node nonce store: a dictionary of live nonces plus a queue in arrival order for expiry.
/// Bounded: at capacity it answers <see cref="NonceOutcome.Full"/> instead of forgetting live nonces, which
/// would reopen the replay window. The size is counted separately: ConcurrentDictionary.Count takes every
/// lock and would serialize all writers.
/// </summary>
public sealed class MemoryNonceStore(TimeProvider time, int capacity = 1_000_000) : INonceStore
{
    private readonly ConcurrentDictionary<string, long> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, long ExpiresAt)> _expiry = new();
    private readonly Lock _sweepLock = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ValueTask<NonceOutcome> TryUseAsync(string principal, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcTicks;
        Sweep(now);
        var key = string.Concat(principal, "\n", nonce);
        if (_live.TryGetValue(key, out var existing))
        {
            if (existing > now)
            {
                return ValueTask.FromResult(NonceOutcome.Replayed);
            }

            Forget(key, existing);
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return ValueTask.FromResult(NonceOutcome.Full);
        }

        if (!_live.TryAdd(key, expiresAt.UtcTicks))
        {
            Interlocked.Decrement(ref _count);
            return ValueTask.FromResult(NonceOutcome.Replayed);
        }

        _expiry.Enqueue((key, expiresAt.UtcTicks));
        return ValueTask.FromResult(NonceOutcome.Fresh);
    }

    private void Forget(string key, long expiresAt)
    {
        if (_live.TryRemove(new KeyValuePair<string, long>(key, expiresAt)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Sweep(long now)
    {
        // Expiry times arrive roughly in order (timestamps lie within the window), so the head of the queue is
        // the oldest; one sweeper at a time, others skip.
        if (!_expiry.TryPeek(out var head) || head.ExpiresAt > now || !_sweepLock.TryEnter())
        {
            return;
        }

        try
        {
            while (_expiry.TryPeek(out head) && head.ExpiresAt <= now && _expiry.TryDequeue(out head))
            {
                Forget(head.Key, head.ExpiresAt);
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }
}
