using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Redis;
using RepSec.Storage.Postgres;
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
            services.AddRepSecPostgres(server.Postgres!);
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
    public static IPrincipalStore OpenPrincipalStore(ServerOptions server) => server.Store == StoreKinds.Postgres
        ? new PostgresPrincipalStore(new PostgresDatabase(server.Postgres!))
        : new SqlitePrincipalStore(new SqliteDatabase(server.DataDirectory));

    /// <summary>The offline check of the whole transparency log (<c>repsecd log verify</c>), on the configured store.</summary>
    public static LogAuditReport AuditLog(ServerOptions server, ReputationOptions reputation)
    {
        if (server.Store != StoreKinds.Postgres)
        {
            return SqliteLogAudit.Run(new SqliteDatabase(server.DataDirectory), reputation);
        }

        using var database = new PostgresDatabase(server.Postgres!);
        return PostgresLogAudit.Run(database, reputation);
    }
}
