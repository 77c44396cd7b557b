using RepSec.Core.Registry;
using RepSec.Protocol.Entities;
using RepSec.Storage.Sqlite;

namespace RepSec.Core.Tests.Registry;

/// <summary>What only the SQLite store shows; the shared behaviour is in Contracts/.</summary>
public sealed class SqliteRegistryStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Registration Registration(string key, string owner = "alice") =>
        Core.Registry.Registration.Create(EntityType.Domain, key, key, owner, """{"k":"v"}""", At);

    [Fact]
    public async Task A_row_edited_behind_the_servers_back_no_longer_matches_its_digest()
    {
        var database = new SqliteDatabase(_directory);
        await using var store = new SqliteRegistryStore(database);
        await store.RegisterAsync(Registration("t.example"));

        using (var connection = database.Open())
        using (var tamper = connection.CreateCommand())
        {
            tamper.CommandText = "UPDATE entities SET owner = 'mallory'";
            tamper.ExecuteNonQuery();
        }

        var record = await store.FindAsync(EntityType.Domain, "t.example");
        Assert.False(RecordDigest.Matches(record!));
    }
}
