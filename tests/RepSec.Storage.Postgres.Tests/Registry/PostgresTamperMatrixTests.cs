using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Testing.Contracts;
using RepSec.Testing.Postgres;

namespace RepSec.Storage.Postgres.Tests.Registry;

/// <summary>The tamper matrix on the PostgreSQL store, each case in a throwaway schema.</summary>
public sealed class PostgresTamperMatrixTests : TamperMatrixTests<PostgresRegistryStore>, IAsyncLifetime
{
    private PostgresTestSchema? _schema;
    private PostgresDatabase? _database;

    public async Task InitializeAsync()
    {
        (_schema, _database) = await PostgresTestSchema.CreateAsync(connectionString => new PostgresDatabase(connectionString));
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

    protected override (PostgresRegistryStore Store, IPrincipalStore Principals) Open() =>
        (new PostgresRegistryStore(_database!), new PostgresPrincipalStore(_database!));

    protected override Task<int> ExecuteAsync(string sql) => _schema!.ExecuteAsync(sql);

    protected override LogAuditReport Audit() => PostgresLogAudit.Run(_database!);

    protected override string Bytes(byte[] value) => $"decode('{Convert.ToHexStringLower(value)}', 'hex')";

    /// <summary>PostgreSQL's reports table requires ended and ended_at to be set or cleared together.</summary>
    protected override string EditOf(TamperCase tamper) => tamper.PostgresEdit ?? tamper.Edit;
}
