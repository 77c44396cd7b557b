using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Cli;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Entities;

namespace RepSec.IntegrationTests.Cli;

/// <summary>
/// <c>repsec import</c> against a real server: malformed and duplicate rows refused with their reasons, JSON lines,
/// an import interrupted with SIGINT and resumed to exactly the rows of the file, and 100,000 rows.
/// </summary>
public sealed class ImportTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _token = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        // Bulk loads are what the per-principal limit is for: raised here as an operator would for an importer.
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:RateLimits:PerPrincipalPerSecond"] = "1000000",
            ["RepSec:RateLimits:PerPrincipalBurst"] = "1000000",
            ["RepSec:RateLimits:PerAddressPerSecond"] = "1000000",
            ["RepSec:RateLimits:PerAddressBurst"] = "1000000",
        });
        _token = await _server.IssueTokenAsync("importer", Role.Registrant);
        _directory = Directory.CreateTempSubdirectory("repsec-import-").FullName;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string[] Global => ["--server", $"127.0.0.1:{_server.Port}", "--ca", _server.CaPath, "--token", _token];

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([.. Global, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Malformed_and_duplicate_rows_are_refused_with_reasons_and_the_rest_is_imported()
    {
        var file = Path.Combine(_directory, "rows.csv");
        await File.WriteAllTextAsync(file, """
            command,entity,type,assertion,rating,confidence,categories,evidence
            REGISTER,one.example,domain,,,,,
            REGISTER,one.example,domain,,,,,
            REPORT,192.0.2.10,ip,spam,0.9,1,botnet;smtp,"seen by ""mx1"",
            twice"
            REPORT,192.0.2.11,ip,spam,1.5,,,
            REPORT,192.0.2.12,ip,,0.5,,,
            DELETE,two.example,domain,,,,,
            REGISTER,three.example,domain,,,,
            REPORT,192.0.2.10,ip,spam,0.9,,,

            """);

        var (exit, output, _) = await RunAsync("import", file);
        Assert.Equal(ExitCodes.ImportRefusedRows, exit);
        Assert.Contains("imported rows.csv: 2 rows accepted, 6 refused", output);
        Assert.Contains("4 malformed row", output);
        var refused = (await File.ReadAllLinesAsync(file + ".refused")).ToList();
        Assert.Equal("command,entity,type,assertion,rating,confidence,categories,evidence,reason", refused[0]);
        Assert.Contains(refused, l => l.EndsWith("row 2: Entity is already registered", StringComparison.Ordinal));
        Assert.Contains(refused, l => l.EndsWith("row 4: rating '1.5' is not a number from 0 to 1", StringComparison.Ordinal));
        Assert.Contains(refused, l => l.EndsWith("row 5: REPORT needs an assertion", StringComparison.Ordinal));
        Assert.Contains(refused, l => l.EndsWith("row 6: unknown command 'DELETE' (REGISTER or REPORT)", StringComparison.Ordinal));
        Assert.Contains(refused, l => l.EndsWith("row 7: 7 fields where the header names 8", StringComparison.Ordinal));
        Assert.Contains(refused, l => l.StartsWith("REPORT,192.0.2.10,ip,spam,0.9,,,,row 8: ", StringComparison.Ordinal));
        Assert.False(File.Exists(file + ".state"), "a finished import leaves no state file");

        // The quoted evidence, with its comma, quotes and line break, arrived whole.
        await using var wire = await _server.ConnectAsync();
        var reputation = await wire.RequestAsync(JsonSerializer.Serialize(new { command = "REPUTATION", entity = "192.0.2.10", reports = true, auth = _token }));
        var report = reputation.GetProperty("reports")[0];
        Assert.Equal("seen by \"mx1\",\ntwice", report.GetProperty("evidence").GetString());
        Assert.Equal(["botnet", "smtp"], report.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Json_lines_import_the_same_way()
    {
        var file = Path.Combine(_directory, "rows.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"command":"REGISTER","entity":"json.example","type":"domain"}""",
            """{"command":"REPORT","entity":"198.51.100.0/24","assertion":"abuse","rating":0.7,"categories":["scan"]}""",
            """{"command":"REPORT","entity":"198.51.100.1","assertion":"abuse","rating":"high"}""",
            """{"command":"REPORT","entity":"198.51.100.2","assertion":"abuse","rating":0.5,"colour":"red"}""",
            """not json""",
        ]);
        var (exit, output, _) = await RunAsync("import", file);
        Assert.Equal(ExitCodes.ImportRefusedRows, exit);
        Assert.Contains("2 rows accepted, 3 refused", output);
        var refused = (await File.ReadAllLinesAsync(file + ".refused")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([3L, 4L, 5L], refused.Select(r => r.GetProperty("row").GetInt64()).Order());
        Assert.Contains(refused, r => r.GetProperty("refused").GetString() == "unknown member 'colour'");
        Assert.NotNull(await _server.Host.Services.GetRequiredService<IRegistryStore>().FindAsync(EntityType.Domain, "json.example"));
    }

    [Fact]
    public async Task An_interrupted_import_resumes_and_ends_with_every_row_imported_once()
    {
        const int Rows = 30_000;
        var file = Path.Combine(_directory, "big.csv");
        await WriteRegistrationsAsync(file, "resume", Rows);

        // The real executable, stopped with SIGINT (Ctrl+C) once its state file shows progress.
        var first = StartCli("import", file, "--window", "64", "--connections", "1");
        var state = file + ".state";
        for (var i = 0; i < 600 && !(File.Exists(state) && JsonDocument.Parse(await ReadSharedAsync(state)).RootElement.GetProperty("finished").GetInt64() > 1000); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(state), "no state file appeared");
        using (var kill = Process.Start("kill", ["-INT", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await first.WaitForExitAsync();
        var firstError = await first.StandardError.ReadToEndAsync();
        Assert.True(first.ExitCode == ExitCodes.Interrupted, $"exit {first.ExitCode}: {firstError}");
        Assert.Contains("run the same command again to resume", firstError);
        var stoppedAt = JsonDocument.Parse(await File.ReadAllTextAsync(state)).RootElement.GetProperty("finished").GetInt64();
        Assert.InRange(stoppedAt, 1000, Rows - 1);

        var (exit, output, error) = await RunAsync("import", file);
        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {output} {error}");
        Assert.Contains($"resuming big.csv after row {stoppedAt:N0}", error);
        Assert.Contains($"{Rows:N0} rows accepted, 0 refused", output);
        var registry = _server.Host.Services.GetRequiredService<IRegistryStore>();
        for (var i = 0; i < Rows; i += 997)
        {
            Assert.NotNull(await registry.FindAsync(EntityType.Domain, $"resume{i}.example"));
        }

        Assert.NotNull(await registry.FindAsync(EntityType.Domain, $"resume{Rows - 1}.example"));
    }

    [Fact]
    public async Task A_hundred_thousand_rows_import_in_one_run()
    {
        const int Rows = 100_000;
        var file = Path.Combine(_directory, "hundred-thousand.csv");
        await WriteRegistrationsAsync(file, "bulk", Rows);
        var (exit, output, error) = await RunAsync("import", file);
        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {output} {error}");
        Assert.Contains("100,000 rows accepted, 0 refused", output);
        var registry = _server.Host.Services.GetRequiredService<IRegistryStore>();
        Assert.NotNull(await registry.FindAsync(EntityType.Domain, "bulk0.example"));
        Assert.NotNull(await registry.FindAsync(EntityType.Domain, $"bulk{Rows - 1}.example"));
    }

    [Fact]
    public async Task An_export_imported_into_another_server_reports_what_this_one_concludes()
    {
        var rows = Path.Combine(_directory, "reports.jsonl");
        await File.WriteAllLinesAsync(rows,
        [
            """{"command":"REPORT","entity":"exported.example","assertion":"phishing","rating":0.8,"confidence":0.9}""",
            """{"command":"REPORT","entity":"203.0.113.0/24","assertion":"abuse","rating":0.6}""",
            """{"command":"REPORT","entity":"good.example","assertion":"trustworthy","rating":1}""",
        ]);
        Assert.Equal(ExitCodes.Success, (await RunAsync("import", rows)).Exit);
        var export = Path.Combine(_directory, "export.csv");
        var (exit, _, error) = await RunAsync("export", "--output", export);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("3 reputons of 3 entities", error);
        var lines = await File.ReadAllLinesAsync(export);
        Assert.Equal("command,entity,type,assertion,rating,confidence", lines[0]);
        Assert.Contains("REPORT,203.0.113.0/24,ip,abuse,0.6,0.5", lines);

        await using var other = await TestServer.StartAsync();
        var token = await other.IssueTokenAsync("importer", Role.Registrant);
        using var stdout = new StringWriter();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["--server", $"127.0.0.1:{other.Port}", "--ca", other.CaPath, "--token", token, "import", export], stdout, TextWriter.Null));
        await using var wire = await other.ConnectAsync();
        var reputon = (await wire.RequestAsync("""{"command":"REPUTATION","entity":"exported.example"}""")).GetProperty("reputons")[0];
        Assert.Equal(("phishing", 0.8), (reputon.GetProperty("assertion").GetString(), reputon.GetProperty("rating").GetDouble()));
    }

    private static async Task WriteRegistrationsAsync(string file, string prefix, int rows)
    {
        var text = new StringBuilder("command,entity,type\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append("REGISTER,").Append(prefix).Append(i).Append(".example,domain\n");
        }

        await File.WriteAllTextAsync(file, text.ToString());
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (IOException)
        {
            return """{"finished":0}""";
        }
    }

    private Process StartCli(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "repsec.dll"), .. Global, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(info)!;
    }
}
