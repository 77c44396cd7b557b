using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Limits;
using RepSec.Core.Replay;

namespace RepSec.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Puts the state every node must share on Redis: the replay nonce store, the rate-limit buckets (RepSec and
    /// RDAP, authentication failures included) and revocation notices. Register before AddRepSecCore, whose
    /// in-process defaults it replaces.
    /// </summary>
    public static IServiceCollection AddRepSecRedis(this IServiceCollection services, string configuration, string keyPrefix = RedisConnection.DefaultKeyPrefix)
    {
        services.AddSingleton(_ => new RedisConnection(configuration, keyPrefix));
        services.AddSingleton<INonceStore>(sp => new RedisNonceStore(
            sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<RepSecOptions>>().Value.NonceCapacity));
        services.AddSingleton<IRateBuckets, RedisRateBuckets>();
        services.AddSingleton<RedisRevocations>();
        return services;
    }
}
