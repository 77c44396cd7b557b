using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Testing.Contracts;

namespace RepSec.Storage.Postgres.Tests.Contracts;

/// <summary>
/// The PostgreSQL store against the store contracts, each test in a schema of its own; skipped unless
/// REPSEC_TEST_POSTGRES names a server.
/// </summary>
public sealed class PostgresRegistryStoreContractTests : RegistryStoreContract
{
    private readonly ThrowawayDatabase _database = new();

    // Each opening after the first is a new data source on the same schema, as a restarted node.
    protected override async Task<IRegistryStore> OpenAsync() => new PostgresRegistryStore(await _database.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class PostgresPrincipalStoreContractTests : PrincipalStoreContract, IAsyncLifetime
{
    private readonly ThrowawayDatabase _database = new();
    private PostgresPrincipalStore? _store;

    protected override IPrincipalStore Store => _store ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() => _store = new PostgresPrincipalStore(await _database.OpenAsync());

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
