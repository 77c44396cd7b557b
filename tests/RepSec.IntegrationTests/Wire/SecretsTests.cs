using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>Credentials never reach the logs, and a 500 would not leak internals (checked on the files the server keeps).</summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Tokens_good_or_bad_never_appear_in_logs_at_any_level()
    {
        var good = await _server.IssueTokenAsync("alice", Role.Registrant);
        var bad = "rs_0123456789abcdef_" + new string('Z', 43);
        await using (var wire = await _server.ConnectAsync())
        {
            await wire.RequestAsync(Requests.Register("logged.example", "domain", good));
            await wire.RequestAsync(Requests.Register("logged2.example", "domain", bad));
            await wire.RequestAsync("{\"command\":\"REGISTER\",\"auth\":\"" + good + "\"");
        }

        var logs = _server.Logs.All;
        Assert.NotEmpty(_server.Logs.Lines);
        Assert.DoesNotContain(good[20..], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('Z', 43), logs, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_and_database_files_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "tls", "server.key")));
        foreach (var file in new[] { "repsec.db", "repsec.db-wal", "repsec.db-shm", "log-key", "rdap-signing-key.jwk" })
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, file)));
        }

        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "tls")));
    }
}
