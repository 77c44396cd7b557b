using Microsoft.Extensions.Time.Testing;
using RepSec.Core.Replay;

namespace RepSec.Core.Tests.Replay;

public sealed class MemoryNonceStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset In(int seconds) => _time.GetUtcNow().AddSeconds(seconds);

    [Fact]
    public async Task A_nonce_is_single_use_per_scope_until_it_expires()
    {
        var store = new MemoryNonceStore(_time);

        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "n1", In(300)));
        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("alice", "n1", In(300)));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("bob", "n1", In(300)));

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("alice", "n1", In(300)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "n1", In(300)));
    }

    [Fact]
    public async Task At_total_capacity_live_nonces_are_kept_and_new_ones_refused_until_they_expire()
    {
        var store = new MemoryNonceStore(_time, capacity: 4);
        foreach (var (scope, nonce) in new[] { ("a", "1"), ("a", "2"), ("b", "1"), ("b", "2") })
        {
            Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync(scope, nonce, In(10)));
        }

        Assert.Equal(NonceOutcome.Full, await store.TryUseAsync("c", "1", In(10)));
        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("a", "1", In(10)));

        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("c", "1", In(10)));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task One_scope_holds_at_most_half_the_store()
    {
        var store = new MemoryNonceStore(_time, capacity: 10);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("greedy", $"n{i}", In(60)));
        }

        Assert.Equal(NonceOutcome.Full, await store.TryUseAsync("greedy", "n5", In(60)));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("other", "n0", In(60)));
    }

    [Fact]
    public async Task Anonymous_clients_together_cannot_crowd_out_authenticated_writers()
    {
        var store = new MemoryNonceStore(_time, capacity: 20);

        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("anonymous@192.0.2.1", "x", In(600)));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("anonymous@192.0.2.2", "x", In(600)));
        Assert.Equal(NonceOutcome.Full, await store.TryUseAsync("anonymous@192.0.2.3", "x", In(600)));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "x", In(600)));
    }

    [Fact]
    public async Task A_far_future_entry_does_not_hold_up_the_expiry_of_earlier_ones()
    {
        var store = new MemoryNonceStore(_time, capacity: 100);
        await store.TryUseAsync("a", "late", In(600));
        for (var i = 0; i < 40; i++)
        {
            await store.TryUseAsync("a", $"early{i}", In(5));
        }

        _time.Advance(TimeSpan.FromSeconds(7));
        await store.TryUseAsync("b", "tick", In(5));

        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Through_many_rebuilds_no_live_nonce_is_forgotten_and_expired_ones_are_released()
    {
        var store = new MemoryNonceStore(_time);
        const int PerSecond = 2_000;
        const int Lifetime = 30;
        for (var second = 0; second < 90; second++)
        {
            for (var i = 0; i < PerSecond; i++)
            {
                Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("writer", $"{second}-{i}", In(Lifetime)));
            }

            // Every nonce of the last Lifetime seconds is still a replay, whatever the tables did meanwhile.
            for (var past = Math.Max(0, second - Lifetime + 1); past <= second; past++)
            {
                Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("writer", $"{past}-{second % PerSecond}", In(Lifetime)));
            }

            Assert.Equal(Math.Min(second + 1, Lifetime) * PerSecond, store.Count);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Long expired: usable again.
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("writer", "0-0", In(Lifetime)));
    }

    [Fact]
    public async Task A_live_nonce_costs_at_most_34_bytes_once_the_tables_have_grown()
    {
        var store = new MemoryNonceStore(_time);
        for (var i = 0; i < 1_000_000; i++)
        {
            await store.TryUseAsync("writer", $"nonce-{i}", In(300));
        }

        Assert.Equal(1_000_000, store.Count);
        Assert.InRange(store.TableBytes / (double)store.Count, 12, 34);
    }
}
