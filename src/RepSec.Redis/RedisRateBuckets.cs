using RepSec.Core.Limits;
using StackExchange.Redis;

namespace RepSec.Redis;

/// <summary>
/// Token buckets every node shares, as GCRA (the generic cell rate algorithm) in one Lua script: a bucket is one
/// key holding the theoretical arrival time of its next token, in microseconds of the Redis server's clock, so the
/// nodes' clocks do not matter. Equivalent to a token bucket of <see cref="BucketRule.Burst"/> tokens refilled
/// at <see cref="BucketRule.PerSecond"/>; one round trip per check.
/// </summary>
public sealed class RedisRateBuckets(RedisConnection redis) : IRateBuckets
{
    // KEYS[1] bucket; ARGV[1] microseconds per token; ARGV[2] burst; ARGV[3] 1 takes a token, 0 only looks.
    // Returns 0 when a token is (or could be) taken, else the microseconds until one can.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local after = tat + interval
        local wait = after - interval * tonumber(ARGV[2]) - now
        if wait > 0 then return math.ceil(wait) end
        if ARGV[3] == '1' then
          redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - now) / 1000) + 1)
        end
        return 0
        """;

    private static readonly RedisValue Take = 1;
    private static readonly RedisValue Look = 0;

    public ValueTask<int?> TakeAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull => RunAsync(rule, key, Take);

    public ValueTask<int?> PeekAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull => RunAsync(rule, key, Look);

    private async ValueTask<int?> RunAsync<TKey>(BucketRule rule, TKey key, RedisValue take)
        where TKey : notnull
    {
        var interval = Math.Max(1, (long)Math.Round(1_000_000 / rule.PerSecond));
        var result = await redis.Database.ScriptEvaluateAsync(Script,
            [(RedisKey)string.Concat(redis.KeyPrefix, "rate:", rule.Name, ":", key.ToString())],
            [interval, Math.Max(rule.Burst, 1), take]);
        var waitMicroseconds = (long)result;
        return waitMicroseconds <= 0 ? null : (int)Math.Max(1, Math.Ceiling(waitMicroseconds / 1_000_000.0));
    }
}
