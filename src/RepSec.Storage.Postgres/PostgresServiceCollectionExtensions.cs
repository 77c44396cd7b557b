using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers the PostgreSQL stores on the database <paramref name="connectionString"/> names (its schema is
    /// migrated when <see cref="PostgresDatabase"/> is first resolved). <see cref="PostgresDatabase"/> is registered
    /// too, for readiness checks through <see cref="PostgresDatabase.PingAsync"/>.
    /// </summary>
    public static IServiceCollection AddRepSecPostgres(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        services.AddSingleton(_ => new PostgresDatabase(connectionString));
        services.AddSingleton<PostgresRegistryStore>();
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<PostgresRegistryStore>());
        services.AddSingleton<ITransparencyLogStore>(sp => sp.GetRequiredService<PostgresRegistryStore>());
        services.AddSingleton<IReputationStore>(sp => sp.GetRequiredService<PostgresRegistryStore>());
        services.AddSingleton<IPrincipalStore, PostgresPrincipalStore>();
        return services;
    }
}
