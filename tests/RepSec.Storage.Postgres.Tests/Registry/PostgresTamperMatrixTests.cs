using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Testing.Contracts;

namespace RepSec.Storage.Postgres.Tests.Registry;

/// <summary>The tamper matrix on the PostgreSQL store, each case in a throwaway schema.</summary>
public sealed class PostgresTamperMatrixTests : TamperMatrixTests<PostgresRegistryStore>, IAsyncLifetime
{
    private readonly ThrowawayDatabase _throwaway = new();
    private PostgresDatabase? _database;

    public async Task InitializeAsync() => _database = await _throwaway.OpenAsync();

    public async Task DisposeAsync() => await _throwaway.DisposeAsync();

    protected override (PostgresRegistryStore Store, IPrincipalStore Principals) Open() =>
        (new PostgresRegistryStore(_database!), new PostgresPrincipalStore(_database!));

    protected override Task<int> ExecuteAsync(string sql) => _throwaway.ExecuteAsync(sql);

    protected override LogAuditReport Audit() => PostgresLogAudit.Run(_database!);

    protected override string Bytes(byte[] value) => $"decode('{Convert.ToHexStringLower(value)}', 'hex')";

    /// <summary>PostgreSQL's reports table requires ended and ended_at to be set or cleared together.</summary>
    protected override string EditOf(TamperCase tamper) => tamper.PostgresEdit ?? tamper.Edit;
}
