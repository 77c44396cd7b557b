using RepSec.Core.Replay;
using StackExchange.Redis;

namespace RepSec.Redis;

/// <summary>
/// The replay nonce store every node shares: one key per scope and nonce, set only if absent and expiring with the
/// nonce, so a nonce used on one node is a replay on every other. Run Redis with <c>maxmemory-policy noeviction</c>:
/// an evicted nonce could be replayed. A Redis out of memory answers <see cref="NonceOutcome.Full"/> (429).
/// </summary>
public sealed class RedisNonceStore(RedisConnection redis, TimeProvider time) : INonceStore
{
    private static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    public async ValueTask<NonceOutcome> TryUseAsync(string scope, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var lifetime = expiresAt - time.GetUtcNow();
        try
        {
            var fresh = await redis.Database.StringSetAsync(
                string.Concat(redis.KeyPrefix, "nonce:", scope, "\n", nonce), RedisValue.EmptyString,
                lifetime < Minimum ? Minimum : lifetime, When.NotExists);
            return fresh ? NonceOutcome.Fresh : NonceOutcome.Replayed;
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("OOM", StringComparison.Ordinal))
        {
            return NonceOutcome.Full;
        }
    }
}
