using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Testing.Contracts;

namespace RepSec.Storage.Postgres.Tests.Contracts;

/// <summary>
/// The PostgreSQL store against the reputation store contract, each test in a schema of its own; skipped unless
/// REPSEC_TEST_POSTGRES names a server.
/// </summary>
public sealed class PostgresReputationContractTests : ReputationStoreContract
{
    private readonly ThrowawayDatabase _database = new();

    // Each opening after the first is a new data source on the same schema, as a restarted node.
    protected override async Task<(IReputationStore Store, IPrincipalStore Principals)> OpenAsync()
    {
        var database = await _database.OpenAsync();
        return (new PostgresRegistryStore(database), new PostgresPrincipalStore(database));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
