using RepSec.Core.Security;
using RepSec.Redis;
using RepSec.Storage.Sqlite;

namespace RepSec.Server.Hosting;

/// <summary>Where the registry and the shared state live, as configured: SQLite or PostgreSQL, and Redis or this process.</summary>
internal static class Stores
{
    /// <summary>Registers the configured stores; runs before AddRepSecCore, whose in-process defaults Redis replaces.</summary>
    public static void AddStores(this IServiceCollection services, ServerOptions server)
    {
        if (server.Store == StoreKinds.Postgres)
        {
            throw new NotSupportedException("postgres");
        }
        else
        {
            services.AddRepSecSqlite(server.DataDirectory);
        }

        if (server.Redis is { } redis)
        {
            services.AddRepSecRedis(redis, server.RedisKeyPrefix);
        }

        services.AddReadiness(redis: server.Redis is not null);
    }

    /// <summary>The principal store for operator commands, on the store the server is configured for.</summary>
    public static IPrincipalStore OpenPrincipalStore(ServerOptions server) =>
        new SqlitePrincipalStore(new SqliteDatabase(server.DataDirectory));
}
