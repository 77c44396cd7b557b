using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Testing.Contracts;

namespace RepSec.Storage.Sqlite.Tests.Contracts;

/// <summary>The embedded SQLite store against the store contracts.</summary>
public sealed class SqliteRegistryStoreContractTests : RegistryStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-contract-").FullName;

    protected override Task<IRegistryStore> OpenAsync() =>
        Task.FromResult<IRegistryStore>(new SqliteRegistryStore(new SqliteDatabase(_directory)));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class SqliteReputationContractTests : ReputationStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-contract-").FullName;

    protected override Task<(IReputationStore Store, IPrincipalStore Principals)> OpenAsync() =>
        Task.FromResult<(IReputationStore, IPrincipalStore)>(
            (new SqliteRegistryStore(new SqliteDatabase(_directory)), new SqlitePrincipalStore(new SqliteDatabase(_directory))));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class SqlitePrincipalStoreContractTests : PrincipalStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-contract-").FullName;

    public SqlitePrincipalStoreContractTests() => Store = new SqlitePrincipalStore(new SqliteDatabase(_directory));

    protected override IPrincipalStore Store { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
