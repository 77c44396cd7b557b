using System.Numerics;
using System.Security.Cryptography;
using RepSec.Core;
using RepSec.Core.Replay;
using StackExchange.Redis;

namespace RepSec.Redis;

/// <summary>
/// The replay nonce store every node shares, checked and written in one Lua script, so a nonce used on one node is a
/// replay on every other. A live nonce is one field of a small Redis hash: its 64-bit keyed fingerprint
/// (<see cref="NonceFingerprint"/>, the key shared by the nodes through Redis) and its expiry in Unix seconds. The
/// fingerprint's top bits choose the hash (a shard), and there are about <c>capacity / 128</c> shards (as the first
/// node planned them: every node uses the same), so that at
/// capacity each holds up to 128 fields and stays in Redis's compact listpack encoding: about 16 bytes a nonce, plus
/// each shard key's own 100-odd bytes spread over its nonces (docs/cluster.md gives measured figures).
/// </summary>
/// <remarks>
/// A nonce is a replay while its stored expiry is ahead of the checking node's clock. Expired fields are removed when
/// their shard reaches a multiple of 128 fields, a minute after they expire (slack for the nodes' clocks); a shard
/// key expires a minute after its last nonce. Run Redis with <c>maxmemory-policy noeviction</c>: an evicted nonce
/// could be replayed. A Redis out of memory answers <see cref="NonceOutcome.Full"/> (429). Keys in the earlier form,
/// one per nonce (<c>nonce:scope\nnonce</c>), are still honoured until they expire, so nodes can be upgraded one at a time.
/// </remarks>
public sealed class RedisNonceStore : INonceStore
{
    /// <summary>Fields a shard holds before its expired ones are removed: Redis's default <c>hash-max-listpack-entries</c>.</summary>
    public const int CompactShardSize = 128;

    /// <summary>How long after its expiry a nonce may still be kept: room for the nodes' clocks to differ.</summary>
    public const int SlackSeconds = 60;

    // KEYS[1] the shard; KEYS[2] the nonce's key in the earlier form. ARGV[1] fingerprint (8 bytes), ARGV[2] expiry,
    // ARGV[3] the node's time (both Unix seconds), ARGV[4] CompactShardSize, ARGV[5] SlackSeconds.
    // Returns 1 when the nonce is fresh (and now remembered), 0 when it is a replay.
    private const string Script = """
        local now = tonumber(ARGV[3])
        local seen = redis.call('HGET', KEYS[1], ARGV[1])
        if (seen and tonumber(seen) > now) or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        local fields = redis.call('HLEN', KEYS[1])
        if fields > 0 and fields % tonumber(ARGV[4]) == 0 then
          local stale = now - tonumber(ARGV[5])
          local all = redis.call('HGETALL', KEYS[1])
          for i = 1, #all, 2 do
            if tonumber(all[i + 1]) <= stale then redis.call('HDEL', KEYS[1], all[i]) end
          end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local ttl = tonumber(ARGV[2]) - now + tonumber(ARGV[5])
        if redis.call('EXPIRE', KEYS[1], ttl, 'NX') == 0 then redis.call('EXPIRE', KEYS[1], ttl, 'GT') end
        return 1
        """;

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly int _proposedShardBits;
    private Task<Keying>? _keying;

    /// <summary>A node's store; <paramref name="capacity"/> is the live nonces to plan the shards for (the first node to use the Redis decides for all).</summary>
    public RedisNonceStore(RedisConnection redis, TimeProvider time, int capacity = RepSecOptions.DefaultNonceCapacity)
    {
        _redis = redis;
        _time = time;
        _proposedShardBits = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity / CompactShardSize)));
    }

    /// <summary>The key of shard <paramref name="shard"/>.</summary>
    public string ShardKey(int shard) => string.Concat(_redis.KeyPrefix, "nonces:", shard.ToString("x", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>How many shards the fingerprints are spread over, as the nodes agreed in Redis.</summary>
    public async Task<int> ShardsAsync() => 1 << (await KeyingAsync()).ShardBits;

    public async ValueTask<NonceOutcome> TryUseAsync(string scope, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        try
        {
            var keying = await KeyingAsync();
            var fingerprint = NonceFingerprint.Of(keying.Seed, scope, nonce);
            var shard = keying.ShardBits == 0 ? 0 : (int)(fingerprint >> (64 - keying.ShardBits));
            var field = new byte[sizeof(ulong)];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(field, fingerprint);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var expiry = Math.Max(now + 1, (long)Math.Ceiling(expiresAt.ToUnixTimeMilliseconds() / 1000.0));
            var fresh = (long)await _redis.Database.ScriptEvaluateAsync(Script,
                [(RedisKey)ShardKey(shard), (RedisKey)string.Concat(_redis.KeyPrefix, "nonce:", scope, "\n", nonce)],
                [field, expiry, now, CompactShardSize, SlackSeconds]);
            return fresh == 1 ? NonceOutcome.Fresh : NonceOutcome.Replayed;
        }
        catch (RedisServerException exception) when (exception.Message.Contains("OOM", StringComparison.Ordinal))
        {
            return NonceOutcome.Full;
        }
    }

    /// <summary>
    /// The fingerprints' key and the number of shards, the same for every node (a node planning other shards would
    /// look for a nonce where the others did not put it): made by the first node that needs them, kept in Redis. A
    /// failed read is tried again on the next request.
    /// </summary>
    private Task<Keying> KeyingAsync()
    {
        var current = Volatile.Read(ref _keying);
        if (current is { IsFaulted: false, IsCanceled: false })
        {
            return current;
        }

        var fresh = ReadKeyingAsync();
        return Interlocked.CompareExchange(ref _keying, fresh, current) == current ? fresh : Volatile.Read(ref _keying)!;
    }

    private async Task<Keying> ReadKeyingAsync()
    {
        var key = (RedisKey)string.Concat(_redis.KeyPrefix, "nonce-keying");
        byte[] proposed = [.. RandomNumberGenerator.GetBytes(sizeof(long)), (byte)_proposedShardBits];
        await _redis.Database.StringSetAsync(key, proposed, when: When.NotExists);
        var stored = (byte[]?)await _redis.Database.StringGetAsync(key);
        if (stored is not { Length: sizeof(long) + 1 } || stored[^1] > 30)
        {
            throw new InvalidOperationException($"Redis key {key} should hold the nonce fingerprints' 8-byte key and the shard bits");
        }

        return new Keying(BitConverter.ToInt64(stored), stored[^1]);
    }

    private readonly record struct Keying(long Seed, int ShardBits);
}
