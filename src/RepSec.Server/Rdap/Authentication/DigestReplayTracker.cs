namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// Remembers, per nonce, which nonce counts (nc, RFC 7616 §3.4) were used, for nonces of authenticated requests only.
/// Each nonce keeps the highest count seen and a 64-count window below it, so requests sent in parallel may arrive
/// out of order; a count older than the window is refused as if replayed. The number of nonces is capped. Expired
/// nonces are dropped first, then the oldest; every dropped nonce raises a watermark, and a nonce issued at or
/// before it that is not remembered is answered <see cref="DigestOutcome.Stale"/>: forgetting a nonce never makes
/// its used counts acceptable again, it only sends the client for a fresh nonce.
/// </summary>
internal sealed class DigestReplayTracker
{
    private const int Window = 64;

    private readonly int _capacity;
    private readonly long _lifetimeMs;
    private readonly Dictionary<string, Counts> _counts = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byIssue = new();

    // One lock: only authenticated requests get here and the work under it is a dictionary and heap operation.
    private readonly Lock _lock = new();
    private long _forgottenThrough = long.MinValue;

    public DigestReplayTracker(int capacity, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lifetimeMs = (long)lifetime.TotalMilliseconds;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count;
            }
        }
    }

    /// <summary>Records a use of (nonce, nc); times are Unix milliseconds.</summary>
    public DigestOutcome Use(string nonce, long issuedMs, uint nonceCount, long nowMs)
    {
        lock (_lock)
        {
            Sweep(nowMs);
            if (_counts.TryGetValue(nonce, out var counts))
            {
                return counts.TryUse(nonceCount) ? DigestOutcome.Valid : DigestOutcome.Replayed;
            }

            if (issuedMs <= _forgottenThrough)
            {
                return DigestOutcome.Stale;
            }

            if (_counts.Count >= _capacity)
            {
                // A nonce older than everything remembered would only push out a newer one; send it for a fresh one.
                if (_byIssue.TryPeek(out _, out var oldest) && issuedMs <= oldest)
                {
                    return DigestOutcome.Stale;
                }

                ForgetOldest();
            }

            counts = new Counts();
            counts.TryUse(nonceCount);
            _counts.Add(nonce, counts);
            _byIssue.Enqueue(nonce, issuedMs);
            return DigestOutcome.Valid;
        }
    }

    /// <summary>Expired nonces are the oldest issued, so they sit at the front of the heap.</summary>
    private void Sweep(long nowMs)
    {
        while (_byIssue.TryPeek(out _, out var issued) && nowMs - issued > _lifetimeMs)
        {
            ForgetOldest();
        }
    }

    /// <summary>Every nonce is in the heap and the dictionary exactly once, so the two stay in step.</summary>
    private void ForgetOldest()
    {
        if (_byIssue.TryDequeue(out var nonce, out var issued))
        {
            _counts.Remove(nonce);
            _forgottenThrough = Math.Max(_forgottenThrough, issued);
        }
    }

    /// <summary>The highest count seen and a bitmap of the <see cref="Window"/> counts at and below it.</summary>
    private sealed class Counts
    {
        private uint _highest;
        private ulong _seen;

        public bool TryUse(uint count)
        {
            if (count > _highest)
            {
                var shift = count - _highest;
                _seen = shift >= Window ? 1UL : (_seen << (int)shift) | 1UL;
                _highest = count;
                return true;
            }

            var back = _highest - count;
            if (back >= Window)
            {
                return false;
            }

            var bit = 1UL << (int)back;
            if ((_seen & bit) != 0)
            {
                return false;
            }

            _seen |= bit;
            return true;
        }
    }
}
