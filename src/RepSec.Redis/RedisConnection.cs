using StackExchange.Redis;

namespace RepSec.Redis;

/// <summary>
/// One multiplexed connection to Redis for the whole process. It starts even when Redis is down and reconnects by
/// itself; while disconnected, commands fail at once (they are not queued), so requests answer 500 rather than
/// wait, and readiness reports the outage.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    public const string DefaultKeyPrefix = "repsec:";

    private readonly ConnectionMultiplexer _multiplexer;

    /// <param name="configuration">StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379,password=...</c>.</param>
    /// <param name="keyPrefix">Every key and channel starts with it, so several clusters can share one Redis.</param>
    public RedisConnection(string configuration, string keyPrefix = DefaultKeyPrefix)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "repsecd";
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5_000);
        _multiplexer = ConnectionMultiplexer.Connect(options);
        KeyPrefix = keyPrefix;
        EndPoints = string.Join(", ", options.EndPoints.Select(e => e.ToString()));
        Database = _multiplexer.GetDatabase();
    }

    public string KeyPrefix { get; }

    /// <summary>Where Redis is, for messages (the configuration itself may hold a password).</summary>
    public string EndPoints { get; }

    public IDatabase Database { get; }

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    /// <summary>True when Redis answers a PING.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            await Database.PingAsync();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await _multiplexer.CloseAsync();
}
