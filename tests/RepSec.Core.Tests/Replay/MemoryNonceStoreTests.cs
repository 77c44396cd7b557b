using RepSec.Core.Replay;

namespace RepSec.Core.Tests.Replay;

public sealed class MemoryNonceStoreTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_nonce_is_single_use_per_principal_until_it_expires()
    {
        var store = new MemoryNonceStore(_time);
        var expires = _time.GetUtcNow().AddMinutes(5);

        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "n1", expires));
        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("alice", "n1", expires));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("bob", "n1", expires));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "n1", _time.GetUtcNow().AddMinutes(5)));
    }

    [Fact]
    public async Task At_capacity_live_nonces_are_kept_and_new_ones_refused()
    {
        var store = new MemoryNonceStore(_time, capacity: 2);
        var expires = _time.GetUtcNow().AddMinutes(5);
        await store.TryUseAsync("a", "1", expires);
        await store.TryUseAsync("a", "2", expires);

        Assert.Equal(NonceOutcome.Full, await store.TryUseAsync("a", "3", expires));
        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("a", "1", expires));

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("a", "3", _time.GetUtcNow().AddMinutes(5)));
        Assert.Equal(1, store.Count);
    }
}
