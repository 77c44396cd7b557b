using Microsoft.Extensions.Time.Testing;
using RepSec.Core.Limits;
using RepSec.Core.Replay;
using RepSec.Core.Security;
using RepSec.Storage.Sqlite;
using RepSec.Testing;

namespace RepSec.Redis.Tests;

/// <summary>
/// The state nodes share through a real Redis: each <see cref="RedisConnection"/> here stands for one node's
/// own connection.
/// </summary>
public sealed class RedisStateTests : IAsyncLifetime
{
    private readonly string _prefix = Engines.UniquePrefix();
    private readonly List<RedisConnection> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private RedisConnection Node()
    {
        var connection = new RedisConnection(Engines.RequireRedis(), _prefix);
        _connections.Add(connection);
        return connection;
    }

    [SkippableFact]
    public async Task A_nonce_used_on_one_node_is_a_replay_on_another_and_fresh_in_another_scope()
    {
        var a = new RedisNonceStore(Node(), TimeProvider.System);
        var b = new RedisNonceStore(Node(), TimeProvider.System);
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.Equal(NonceOutcome.Fresh, await a.TryUseAsync("alice", "n-1", expires));
        Assert.Equal(NonceOutcome.Replayed, await b.TryUseAsync("alice", "n-1", expires));
        Assert.Equal(NonceOutcome.Replayed, await a.TryUseAsync("alice", "n-1", expires));
        Assert.Equal(NonceOutcome.Fresh, await b.TryUseAsync("bob", "n-1", expires));
        Assert.Equal(NonceOutcome.Fresh, await b.TryUseAsync("alice", "n-2", expires));
    }

    [SkippableFact]
    public async Task A_nonce_is_a_replay_until_it_expires_and_fresh_after()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = new RedisNonceStore(Node(), time);
        var b = new RedisNonceStore(Node(), time);

        Assert.Equal(NonceOutcome.Fresh, await a.TryUseAsync("alice", "short", time.GetUtcNow().AddSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(NonceOutcome.Replayed, await b.TryUseAsync("alice", "short", time.GetUtcNow().AddSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(NonceOutcome.Fresh, await b.TryUseAsync("alice", "short", time.GetUtcNow().AddSeconds(10)));
        Assert.Equal(NonceOutcome.Replayed, await a.TryUseAsync("alice", "short", time.GetUtcNow().AddSeconds(10)));
    }

    [SkippableFact]
    public async Task Expired_nonces_are_removed_when_their_shard_fills_and_live_ones_are_kept()
    {
        var node = Node();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // A capacity of one shard, so every nonce lands in it.
        var store = new RedisNonceStore(node, time, capacity: RedisNonceStore.CompactShardSize);
        Assert.Equal(1, await store.ShardsAsync());
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", $"old-{i}", time.GetUtcNow().AddSeconds(5)));
        }

        time.Advance(TimeSpan.FromSeconds(5 + RedisNonceStore.SlackSeconds + 1));
        for (var i = 0; i < 28; i++)
        {
            Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", $"live-{i}", time.GetUtcNow().AddSeconds(300)));
        }

        Assert.Equal(RedisNonceStore.CompactShardSize, await node.Database.HashLengthAsync(store.ShardKey(0)));
        // The 129th field finds 128: the 100 expired ones go, the 28 live ones and the new one stay.
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("alice", "live-28", time.GetUtcNow().AddSeconds(300)));
        Assert.Equal(29, await node.Database.HashLengthAsync(store.ShardKey(0)));
        for (var i = 0; i <= 28; i++)
        {
            Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("alice", $"live-{i}", time.GetUtcNow().AddSeconds(300)));
        }

        var ttl = await node.Database.KeyTimeToLiveAsync(store.ShardKey(0));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(300 + RedisNonceStore.SlackSeconds + 1));
    }

    [SkippableFact]
    public async Task Every_node_uses_the_shards_the_first_one_planned()
    {
        var first = new RedisNonceStore(Node(), TimeProvider.System, capacity: 1_000_000);
        var second = new RedisNonceStore(Node(), TimeProvider.System, capacity: 10_000);
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.Equal(NonceOutcome.Fresh, await first.TryUseAsync("alice", "n-1", expires));
        Assert.Equal(8192, await second.ShardsAsync());
        Assert.Equal(NonceOutcome.Replayed, await second.TryUseAsync("alice", "n-1", expires));
    }

    [SkippableFact]
    public async Task A_nonce_kept_in_the_earlier_one_key_form_is_still_a_replay()
    {
        var node = Node();
        await node.Database.StringSetAsync($"{_prefix}nonce:alice\nold-form", "", TimeSpan.FromMinutes(5), StackExchange.Redis.When.NotExists);
        var store = new RedisNonceStore(node, TimeProvider.System);

        Assert.Equal(NonceOutcome.Replayed, await store.TryUseAsync("alice", "old-form", DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Equal(NonceOutcome.Fresh, await store.TryUseAsync("bob", "old-form", DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    /// <summary>
    /// The memory a live nonce costs in Redis, shard keys included, as <c>MEMORY USAGE</c> counts it: at the planned
    /// fill (half of the capacity live) it stays within 32 bytes.
    /// </summary>
    [SkippableFact]
    public async Task A_live_nonce_costs_at_most_32_bytes_of_redis_memory_at_half_capacity()
    {
        const int Capacity = 400_000;
        const int Live = Capacity / 2;
        var node = Node();
        var store = new RedisNonceStore(node, TimeProvider.System, Capacity);
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        for (var batch = 0; batch < Live; batch += 1000)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(batch, 1000).Select(i => store.TryUseAsync("bench", $"nonce-{i}", expires).AsTask()));
            Assert.All(outcomes, outcome => Assert.Equal(NonceOutcome.Fresh, outcome));
        }

        var shards = await store.ShardsAsync();
        long bytes = 0;
        long fields = 0;
        for (var shard = 0; shard < shards; shard++)
        {
            var usage = await node.Database.ExecuteAsync("MEMORY", "USAGE", store.ShardKey(shard), "SAMPLES", "0");
            bytes += usage.IsNull ? 0 : (long)usage;
            fields += await node.Database.HashLengthAsync(store.ShardKey(shard));
        }

        Assert.Equal(Live, fields);
        var perNonce = (double)bytes / Live;
        Assert.True(perNonce <= 32, $"{perNonce:F1} bytes a live nonce over {shards} shards");
    }

    [SkippableFact]
    public async Task A_bucket_is_shared_by_every_node_and_refuses_beyond_its_burst()
    {
        var rule = new BucketRule("test", PerSecond: 0.5, Burst: 3);
        var a = new RedisRateBuckets(Node());
        var b = new RedisRateBuckets(Node());

        Assert.Null(await a.TakeAsync(rule, "10.0.0.1"));
        Assert.Null(await b.TakeAsync(rule, "10.0.0.1"));
        Assert.Null(await a.TakeAsync(rule, "10.0.0.1"));
        var refusedOnB = await b.TakeAsync(rule, "10.0.0.1");
        var refusedOnA = await a.TakeAsync(rule, "10.0.0.1");

        // One token every two seconds: the wait is one or two whole seconds, never zero.
        Assert.InRange(refusedOnB ?? 0, 1, 2);
        Assert.InRange(refusedOnA ?? 0, 1, 2);
        Assert.Null(await b.TakeAsync(rule, "10.0.0.2"));
    }

    [SkippableFact]
    public async Task Looking_at_a_bucket_takes_nothing()
    {
        var rule = new BucketRule("peek", PerSecond: 0.1, Burst: 2);
        var buckets = new RedisRateBuckets(Node());

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await buckets.PeekAsync(rule, "k"));
        }

        Assert.Null(await buckets.TakeAsync(rule, "k"));
        Assert.Null(await buckets.PeekAsync(rule, "k"));
        Assert.Null(await buckets.TakeAsync(rule, "k"));
        Assert.Equal(10, await buckets.PeekAsync(rule, "k"));
        Assert.NotNull(await buckets.TakeAsync(rule, "k"));
    }

    [SkippableFact]
    public async Task Fifteen_a_second_refills_fifteen_a_second_as_in_one_process()
    {
        // The same rule as MemoryRateBucketsTests: a node alone and a cluster enforce the same configured rate.
        var rule = new BucketRule("rate15", PerSecond: 15, Burst: 30);
        var buckets = new RedisRateBuckets(Node());
        Assert.Equal(30, await TakeAll(buckets, rule));

        await Task.Delay(TimeSpan.FromSeconds(2));

        // 30 at 15/s (GCRA counts from the last refusal, and the takes themselves take time); ten a second gives 20.
        Assert.InRange(await TakeAll(buckets, rule), 24, 31);

        static async Task<int> TakeAll(RedisRateBuckets buckets, BucketRule rule)
        {
            var taken = 0;
            while (await buckets.TakeAsync(rule, "k") is null)
            {
                taken++;
            }

            return taken;
        }
    }

    [SkippableFact]
    public async Task A_bucket_refills_at_its_rate()
    {
        var rule = new BucketRule("refill", PerSecond: 20, Burst: 1);
        var buckets = new RedisRateBuckets(Node());

        Assert.Null(await buckets.TakeAsync(rule, "k"));
        Assert.Equal(1, await buckets.TakeAsync(rule, "k"));
        await Task.Delay(TimeSpan.FromMilliseconds(120));

        Assert.Null(await buckets.TakeAsync(rule, "k"));
    }

    [SkippableFact]
    public async Task A_revocation_notice_reaches_another_node_before_its_cache_expires()
    {
        var data = Directory.CreateTempSubdirectory("repsec-redis-").FullName;
        try
        {
            var store = new SqlitePrincipalStore(new SqliteDatabase(data));
            await store.EnsurePrincipalAsync("alice", Role.Registrant);
            var (token, id, hash) = BearerToken.Create();
            await store.StoreTokenAsync(id, "alice", hash, DateTimeOffset.UtcNow);

            // The receiving node's clock never moves, so its one-second cache would keep the token forever.
            var frozen = new FrozenTime();
            var receiver = new Authenticator(store, frozen);
            await new RedisRevocations(Node()).SubscribeAsync(receiver);
            Assert.NotNull(await receiver.AuthenticateTokenAsync(token, CancellationToken.None));

            Assert.True(await store.RevokeTokenAsync(id, DateTimeOffset.UtcNow));
            Assert.NotNull(await receiver.AuthenticateTokenAsync(token, CancellationToken.None));
            await new RedisRevocations(Node()).PublishTokenAsync(id);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await receiver.AuthenticateTokenAsync(token, CancellationToken.None) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Null(await receiver.AuthenticateTokenAsync(token, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [SkippableFact]
    public async Task With_redis_away_a_check_fails_and_readiness_says_so()
    {
        Engines.RequireRedis();
        await using var away = new RedisConnection("127.0.0.1:1,connectTimeout=500", _prefix);

        Assert.False(await away.PingAsync());
        await Assert.ThrowsAnyAsync<StackExchange.Redis.RedisException>(() =>
            new RedisNonceStore(away, TimeProvider.System).TryUseAsync("alice", "n", DateTimeOffset.UtcNow.AddMinutes(1)).AsTask());
    }

    private sealed class FrozenTime : TimeProvider
    {
        private readonly long _now = global::System.Diagnostics.Stopwatch.GetTimestamp();

        public override long GetTimestamp() => _now;
    }
}
