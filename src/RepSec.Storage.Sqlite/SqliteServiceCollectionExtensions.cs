using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>Registers the SQLite stores on <c>repsec.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static IServiceCollection AddRepSecSqlite(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton(_ => new SqliteDatabase(dataDirectory));
        services.AddSingleton<SqliteRegistryStore>();
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<SqliteRegistryStore>());
        services.AddSingleton<ITransparencyLogStore>(sp => sp.GetRequiredService<SqliteRegistryStore>());
        services.AddSingleton<IReputationStore>(sp => sp.GetRequiredService<SqliteRegistryStore>());
        services.AddSingleton<IPrincipalStore, SqlitePrincipalStore>();
        return services;
    }
}
