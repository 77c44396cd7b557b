using Microsoft.Data.Sqlite;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Testing.Contracts;

namespace RepSec.Storage.Sqlite.Tests.Registry;

/// <summary>The tamper matrix on the embedded SQLite store.</summary>
public sealed class SqliteTamperMatrixTests : TamperMatrixTests<SqliteRegistryStore>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-tamper-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteTamperMatrixTests() => _database = new SqliteDatabase(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    protected override (SqliteRegistryStore Store, IPrincipalStore Principals) Open() =>
        (new SqliteRegistryStore(_database), new SqlitePrincipalStore(_database));

    protected override Task<int> ExecuteAsync(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Task.FromResult(command.ExecuteNonQuery());
    }

    protected override LogAuditReport Audit() => SqliteLogAudit.Run(_database);

    protected override string Bytes(byte[] value) => $"X'{Convert.ToHexString(value)}'";
}
