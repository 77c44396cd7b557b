using Npgsql;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Cli;

/// <summary>repsecd's operator commands, run as processes: the store flags of serve, and <c>--config FILE</c>.</summary>
public sealed class OperatorCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("repsec-operator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task Token_issue_and_list_reach_PostgreSQL_through_the_flags_serve_takes()
    {
        var server = Engines.RequirePostgres();
        var schema = $"operator_{Guid.NewGuid():N}";
        await Engines.ExecutePostgresAsync($"CREATE SCHEMA {schema}");
        try
        {
            var postgres = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            string[] flags = ["--store", "postgres", "--postgres", postgres, "--data", _directory];

            var issued = await NodeProcess.RunAsync(NoEnvironment, ["token", "issue", "--principal", "pat", "--role", "registrant", .. flags]);
            var listed = await NodeProcess.RunAsync(NoEnvironment, ["token", "list", .. flags]);
            var verified = await NodeProcess.RunAsync(NoEnvironment, ["log", "verify", .. flags]);

            Assert.True(issued.ExitCode == 0, issued.Error);
            Assert.StartsWith("rs_", issued.Output, StringComparison.Ordinal);
            Assert.Contains("pat", listed.Output, StringComparison.Ordinal);
            Assert.True(verified.ExitCode == 0, verified.Error);
            Assert.False(File.Exists(Path.Combine(_directory, "repsec.db")), "the command opened SQLite instead of PostgreSQL");
        }
        finally
        {
            await Engines.ExecutePostgresAsync($"DROP SCHEMA {schema} CASCADE");
        }
    }

    [Fact]
    public async Task A_settings_file_given_with_config_names_the_data_directory()
    {
        var data = Path.Combine(_directory, "elsewhere");
        var settings = Path.Combine(_directory, "repsecd.json");
        await File.WriteAllTextAsync(settings, $$"""{ "RepSec": { "DataDirectory": "{{data.Replace("\\", "\\\\", StringComparison.Ordinal)}}" } }""");

        var issued = await NodeProcess.RunAsync(NoEnvironment, "token", "issue", "--config", settings, "--principal", "cy", "--role", "auditor");
        var listed = await NodeProcess.RunAsync(NoEnvironment, "token", "list", "--data", data);

        Assert.True(issued.ExitCode == 0, issued.Error);
        Assert.True(File.Exists(Path.Combine(data, "repsec.db")));
        Assert.Contains("cy", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_win_over_the_settings_file()
    {
        var settings = Path.Combine(_directory, "repsecd.json");
        await File.WriteAllTextAsync(settings, """{ "RepSec": { "Store": "postgres" } }""");

        var refused = await NodeProcess.RunAsync(NoEnvironment, "token", "list", "--config", settings, "--data", _directory);
        var flagged = await NodeProcess.RunAsync(NoEnvironment, "token", "list", "--config", settings, "--store", "sqlite", "--data", _directory);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--store postgres needs --postgres", refused.Error, StringComparison.Ordinal);
        Assert.True(flagged.ExitCode == 0, flagged.Error);
    }

    [Theory]
    [InlineData("token", "list")]
    [InlineData("log", "verify")]
    [InlineData("serve")]
    public async Task A_missing_settings_file_is_a_usage_error(params string[] command)
    {
        var missing = Path.Combine(_directory, "nope.json");

        var result = await NodeProcess.RunAsync(NoEnvironment, [.. command, "--config", missing, "--data", _directory]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--config {missing}: no such file", result.Error, StringComparison.Ordinal);
    }
}
