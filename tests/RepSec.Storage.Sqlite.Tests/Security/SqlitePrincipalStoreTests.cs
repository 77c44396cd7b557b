using Microsoft.Extensions.Time.Testing;
using RepSec.Core.Security;

namespace RepSec.Storage.Sqlite.Tests.Security;

public sealed class SqlitePrincipalStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-principals-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Tokens_authenticate_until_revoked_and_only_hashes_are_stored()
    {
        var database = new SqliteDatabase(_directory);
        var store = new SqlitePrincipalStore(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var authenticator = new Authenticator(store, time);
        await store.EnsurePrincipalAsync("alice", Role.Registrant);
        var (token, id, hash) = BearerToken.Create();
        await store.StoreTokenAsync(id, "alice", hash, time.GetUtcNow());

        Assert.Equal(new Principal("alice", Role.Registrant), await authenticator.AuthenticateTokenAsync(token, default));
        Assert.Null(await authenticator.AuthenticateTokenAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), default));

        Assert.True(await store.RevokeTokenAsync(id, time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await authenticator.AuthenticateTokenAsync(token, default));

        var fileBytes = await File.ReadAllBytesAsync(database.FilePath);
        Assert.False(System.Text.Encoding.ASCII.GetString(fileBytes).Contains(token[20..], StringComparison.Ordinal));
    }
}
