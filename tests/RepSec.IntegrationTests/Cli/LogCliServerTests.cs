using Microsoft.Data.Sqlite;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Cli;

/// <summary>What a newcomer does against a real repsecd: audit with proofs, watch the log, edit the database, see it fail.</summary>
public sealed class LogCliServerTests : IAsyncLifetime
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("repsec-logstate-");
    private TestServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _token = await _server.IssueTokenAsync("alice", Role.Registrant);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _state.Delete(recursive: true);
    }

    private string StatePath => Path.Combine(_state.FullName, "state.json");

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] global = ["--server", $"localhost:{_server.Port}", "--ca", _server.CaPath, "--token", _token];
        var exit = await CliApp.RunAsync([.. global, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Audit_verify_passes_then_fails_after_a_past_entry_is_edited()
    {
        Assert.Equal(0, (await RunAsync("register", "history.example", "--type", "domain")).Exit);
        Assert.Equal(0, (await RunAsync("remove", "history.example")).Exit);
        Assert.Equal(0, (await RunAsync("register", "history.example", "--type", "domain")).Exit);
        var key = File.ReadAllText(Path.Combine(_server.DataDirectory, "log-key.pub")).Trim();

        var verified = await RunAsync("audit", "history.example", "--verify", "--log-key", key, "--state", StatePath);
        Assert.Equal(0, verified.Exit);
        Assert.Contains("verified 3 entries against checkpoint", verified.Out, StringComparison.Ordinal);

        // The operator moves the removal back by a day.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "repsec.db")};Pooling=False"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE log_entries SET at = at - 86400000 WHERE action = 'remove' AND key = 'history.example'";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        var tampered = await RunAsync("audit", "history.example", "--verify", "--log-key", key, "--state", StatePath);
        Assert.Equal(ExitCodes.VerificationFailed, tampered.Exit);
        Assert.Contains("VERIFICATION FAILED", tampered.Err, StringComparison.Ordinal);
        Assert.Contains("Inclusion", tampered.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_watch_pins_the_key_on_first_use_and_follows_the_log_as_it_grows()
    {
        var first = await RunAsync("log", "watch", "--state", StatePath);
        Assert.Equal(0, first.Exit);
        Assert.Contains("first use", first.Err, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("register", "grow.example", "--type", "domain")).Exit);
        var second = await RunAsync("log", "watch", "--state", StatePath);
        Assert.Equal(0, second.Exit);
        Assert.Matches(@"consistent: size (\d+) -> \d+", second.Out);
        Assert.DoesNotContain("first use", second.Err, StringComparison.Ordinal);
    }
}
