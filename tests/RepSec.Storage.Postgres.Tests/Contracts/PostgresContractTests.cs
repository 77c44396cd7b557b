using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Testing.Contracts;
using RepSec.Testing.Postgres;

namespace RepSec.Storage.Postgres.Tests.Contracts;

/// <summary>
/// The PostgreSQL store against the store contracts, each test in a schema of its own; skipped unless
/// REPSEC_TEST_POSTGRES names a server.
/// </summary>
public sealed class PostgresRegistryStoreContractTests : RegistryStoreContract
{
    private readonly List<PostgresDatabase> _databases = [];
    private PostgresTestSchema? _schema;

    protected override async Task<IRegistryStore> OpenAsync()
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
        return new PostgresRegistryStore(database);
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

public sealed class PostgresPrincipalStoreContractTests : PrincipalStoreContract, IAsyncLifetime
{
    private PostgresTestSchema? _schema;
    private PostgresDatabase? _database;
    private PostgresPrincipalStore? _store;

    protected override IPrincipalStore Store => _store ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        (_schema, _database) = await PostgresTestSchema.CreateAsync(connectionString => new PostgresDatabase(connectionString));
        _store = new PostgresPrincipalStore(_database);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
