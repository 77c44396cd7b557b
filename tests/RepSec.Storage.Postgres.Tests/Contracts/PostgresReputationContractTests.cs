using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Testing.Contracts;
using RepSec.Testing.Postgres;

namespace RepSec.Storage.Postgres.Tests.Contracts;

/// <summary>
/// The PostgreSQL store against the reputation store contract, each test in a schema of its own; skipped unless
/// REPSEC_TEST_POSTGRES names a server.
/// </summary>
public sealed class PostgresReputationContractTests : ReputationStoreContract
{
    private readonly List<PostgresDatabase> _databases = [];
    private PostgresTestSchema? _schema;

    protected override async Task<(IReputationStore Store, IPrincipalStore Principals)> OpenAsync()
    {
        PostgresDatabase database;
        if (_schema is null)
        {
            (_schema, database) = await PostgresTestSchema.CreateAsync(connectionString => new PostgresDatabase(connectionString));
        }
        else
        {
            // Reopening is a new data source on the same schema, as a restarted node.
            database = new PostgresDatabase(_schema.ConnectionString);
        }

        _databases.Add(database);
        return (new PostgresRegistryStore(database), new PostgresPrincipalStore(database));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
