using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Cli;

/// <summary>A newcomer's reputation walk-through with the repsec command line against a real server.</summary>
public sealed partial class ReputationCliTests : IAsyncLifetime
{
    private static readonly string Repsec = Path.Combine(AppContext.BaseDirectory, "repsec.dll");

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("repsec-cursor-");
    private TestServer _server = null!;
    private string _alice = "";
    private string _bob = "";
    private string _admin = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _bob = await _server.IssueTokenAsync("bob", Role.Registrant);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Delete(recursive: true);
    }

    private string[] Global => ["--server", $"localhost:{_server.Port}", "--ca", _server.CaPath];

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([.. Global, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private Task<(int Exit, string Out, string Err)> AsAsync(string token, params string[] args) => RunAsync(["--token", token, .. args]);

    [Fact]
    public async Task Two_reports_show_as_one_reputon_and_the_feed_resumes_from_its_cursor()
    {
        var evidence = Path.Combine(_files.FullName, "evidence.txt");
        await File.WriteAllTextAsync(evidence, "Received: from relay\nheaders of message 17");
        var hello = await RunAsync("hello");
        var first = await AsAsync(_alice, "report", "Bad.Example.", "--assertion", "spam", "--rating", "0.9");
        var second = await AsAsync(_bob, "report", "bad.example", "--type", "domain", "--assertion", "spam", "--rating", "0.5", "--confidence", "0.5",
            "--category", "botnet", "--category", "snowshoe", "--evidence-file", evidence, "--expires", "7d");
        var both = await AsAsync(_bob, "report", "x.example", "--assertion", "spam", "--rating", "1", "--evidence", "x", "--evidence-file", evidence);
        var reputation = await RunAsync("reputation", "bad.example");
        var json = await RunAsync("--json", "reputation", "bad.example", "--reports");
        var reports = await AsAsync(_bob, "reputation", "bad.example", "--reports");

        Assert.Contains("reputation/1 (REPORT, WITHDRAW, REPUTATION, CHANGES, ALLOWLIST, TRUST; assertions abuse, compromised, malware, phishing, spam, trustworthy)",
            hello.Out, StringComparison.Ordinal);
        Assert.Equal(0, first.Exit);
        Assert.Matches(@"^reported bad\.example \(domain\) spam: report \d+, expires \S+Z\n$", first.Out);
        Assert.Equal(0, second.Exit);
        Assert.Equal(ExitCodes.Usage, both.Exit);
        Assert.Equal(0, reputation.Exit);
        // The weighted rating of 0.9 (confidence 1) and 0.5 (confidence 0.5), the confidence of weight 1.5, two reports.
        Assert.Equal("""
            bad.example (domain)
            assertion  rating  confidence  sample-size  normal-rating
            spam       0.767   0.6         2            0.767

            """, reputation.Out);
        using (var document = JsonDocument.Parse(json.Out))
        {
            var reputon = document.RootElement.GetProperty("reputons")[0];
            Assert.Equal(2, reputon.GetProperty("sample-size").GetInt32());
            Assert.Equal(2, document.RootElement.GetProperty("reports").GetArrayLength());
        }

        Assert.Contains("botnet,snowshoe", reports.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n\d+\s+spam\s+0\.5\s+0\.5\s+0\.5\s+\S+Z\s+\S+Z\s+bob\s+botnet,snowshoe\n", reports.Out);
        // Evidence is shown JSON-escaped, so a line break in it cannot forge output lines.
        Assert.Matches(@"\nevidence of \d+: ""Received: from relay\\nheaders of message 17""\n$", reports.Out);

        var changes = await RunAsync("changes");
        var cursor = Cursor(changes.Out);
        var again = await RunAsync("changes", "--cursor", cursor);
        Assert.Equal(0, (await AsAsync(_alice, "report", "other.example", "--assertion", "phishing", "--rating", "1")).Exit);
        var afterReport = await RunAsync("changes", "--cursor", cursor);

        Assert.Equal(0, changes.Exit);
        Assert.Matches(@"^\S+Z  bad\.example \(domain\)  spam 0\.767 \(confidence 0\.6, 2 reports\)\n", changes.Out);
        Assert.Equal($"no changes\ncursor: {cursor}\n", again.Out);
        Assert.Matches(@"^\S+Z  other\.example \(domain\)  phishing 1 \(confidence 0\.5, 1 report\)\ncursor: \S+\n$", afterReport.Out);
        Assert.DoesNotContain("bad.example", afterReport.Out, StringComparison.Ordinal);
        Assert.NotEqual(cursor, Cursor(afterReport.Out));
    }

    [Fact]
    public async Task The_cursor_file_keeps_the_place_between_runs()
    {
        var file = Path.Combine(_files.FullName, "feed", "cursor");
        Assert.Equal(0, (await AsAsync(_alice, "report", "kept.example", "--assertion", "spam", "--rating", "1")).Exit);

        var first = await RunAsync("changes", "--cursor-file", file);
        var saved = await File.ReadAllTextAsync(file);
        var second = await RunAsync("changes", "--cursor-file", file);
        var fromStart = await RunAsync("changes", "--cursor", "", "--cursor-file", file);
        await File.WriteAllTextAsync(file, "not a cursor\n");
        var broken = await RunAsync("changes", "--cursor-file", file);
        await File.WriteAllTextAsync(file, "AAAAAAAAAAAA\n");
        var foreign = await RunAsync("changes", "--cursor-file", file);

        Assert.Contains("kept.example", first.Out, StringComparison.Ordinal);
        Assert.Equal($"{Cursor(first.Out)}\n", saved);
        Assert.StartsWith("no changes\n", second.Out, StringComparison.Ordinal);
        Assert.Contains("kept.example", fromStart.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, broken.Exit);
        Assert.Contains("cannot read the cursor file", broken.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadRequest, foreign.Exit);
        Assert.Contains("400 invalid_cursor", foreign.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_follow_prints_a_change_made_while_it_runs_and_saves_the_cursor()
    {
        var file = Path.Combine(_files.FullName, "follow-cursor");
        Assert.Equal(0, (await AsAsync(_alice, "report", "before.example", "--assertion", "spam", "--rating", "1")).Exit);
        Assert.Equal(0, (await RunAsync("changes", "--cursor-file", file)).Exit);
        var start = await File.ReadAllTextAsync(file);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Repsec, .. Global, "--json", "changes", "--follow", "--interval", "0.2", "--cursor-file", file])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            Assert.Equal(0, (await AsAsync(_bob, "report", "during.example", "--assertion", "malware", "--rating", "0.8")).Exit);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);

            if (line is null)
            {
                Assert.Fail($"repsec exited: {await stderr}");
            }

            using var change = JsonDocument.Parse(line);
            Assert.Equal("during.example", change.RootElement.GetProperty("entity").GetString());
            var reputon = change.RootElement.GetProperty("reputons")[0];
            Assert.Equal(("malware", 0.8), (reputon.GetProperty("assertion").GetString(), reputon.GetProperty("rating").GetDouble()));
            Assert.True(change.RootElement.TryGetProperty("changed_at", out _));

            // The cursor is saved once the page is printed: it moves on, and from it nothing is new.
            while (await File.ReadAllTextAsync(file, timeout.Token) == start)
            {
                await Task.Delay(50, timeout.Token);
            }

            Assert.StartsWith("no changes\n", (await RunAsync("changes", "--cursor-file", file)).Out, StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Withdraw_allowlist_and_trust_as_a_reporter_and_an_operator_would()
    {
        var report = await AsAsync(_alice, "report", "fp.example", "--assertion", "spam", "--rating", "1");
        var id = ReportId().Match(report.Out).Groups[1].Value;
        var notYours = await AsAsync(_bob, "withdraw", id);
        var withdrawn = await AsAsync(_alice, "withdraw", id);
        var twice = await AsAsync(_alice, "withdraw", id);
        var nothing = await RunAsync("reputation", "fp.example");

        Assert.Equal((ExitCodes.Unauthorized, ExitCodes.Success, ExitCodes.Conflict), (notYours.Exit, withdrawn.Exit, twice.Exit));
        Assert.Contains("403 not_reporter", notYours.Err, StringComparison.Ordinal);
        Assert.Matches($@"^withdrew report {id} at \S+Z, log index \d+\n$", withdrawn.Out);
        Assert.Contains("409 already_withdrawn", twice.Err, StringComparison.Ordinal);
        Assert.Equal("fp.example (domain): no reports count\n", nothing.Out);

        Assert.Equal(0, (await AsAsync(_bob, "report", "fp.example", "--assertion", "spam", "--rating", "1")).Exit);
        var noReason = await AsAsync(_admin, "allowlist", "add", "fp.example");
        var notAdmin = await AsAsync(_alice, "allowlist", "add", "fp.example", "--reason", "mine");
        var added = await AsAsync(_admin, "allowlist", "add", "fp.example", "--reason", "a customer's newsletter");
        var shown = await RunAsync("reputation", "fp.example");
        var feed = await RunAsync("changes");
        var removed = await AsAsync(_admin, "allowlist", "remove", "fp.example");
        var notListed = await AsAsync(_admin, "allowlist", "remove", "fp.example");

        Assert.Equal(ExitCodes.Usage, noReason.Exit);
        Assert.Equal(ExitCodes.Unauthorized, notAdmin.Exit);
        Assert.Matches(@"^allowlisted fp\.example \(domain\), log index \d+\n$", added.Out);
        Assert.Matches(@"^fp\.example \(domain\): allowlisted since \S+Z: a customer's newsletter\n", shown.Out);
        Assert.Matches(@"\nspam\s+0\s+1\s+1\s", shown.Out);
        Assert.Matches(@"fp\.example \(domain\)  spam 0 \(confidence 1, 1 report\)  \[allowlisted since \S+Z: a customer's newsletter\]\n", feed.Out);
        Assert.Matches(@"^fp\.example \(domain\) is off the allowlist, log index \d+\n$", removed.Out);
        Assert.Equal(ExitCodes.NotFound, notListed.Exit);

        var set = await AsAsync(_admin, "trust", "bob", "0.25");
        var levels = await AsAsync(_admin, "trust");
        var denied = await AsAsync(_alice, "trust");
        var outOfRange = await AsAsync(_admin, "trust", "bob", "2");

        Assert.Matches(@"^trust of bob set to 0\.25, log index \d+\n$", set.Out);
        Assert.Equal("default trust: 1\nprincipal  trust\nbob        0.25\n", levels.Out);
        Assert.Equal(ExitCodes.Unauthorized, denied.Exit);
        Assert.Equal(ExitCodes.Usage, outOfRange.Exit);
    }

    [Fact]
    public async Task Reporting_again_too_soon_says_when_to_retry_and_exits_with_8()
    {
        Assert.Equal(0, (await AsAsync(_alice, "report", "soon.example", "--assertion", "spam", "--rating", "0.9")).Exit);

        var again = await AsAsync(_alice, "report", "soon.example", "--assertion", "spam", "--rating", "1");
        var json = await AsAsync(_alice, "--json", "report", "soon.example", "--assertion", "spam", "--rating", "1");

        Assert.Equal(ExitCodes.RateLimited, again.Exit);
        Assert.Matches(@"^repsec: 429 report_too_soon: .+; retry after \d+ s\n$", again.Err);
        Assert.Equal("", again.Out);
        Assert.Equal(ExitCodes.RateLimited, json.Exit);
        using var response = JsonDocument.Parse(json.Out);
        Assert.Equal("report_too_soon", response.RootElement.GetProperty("error").GetString());
    }

    private static string Cursor(string output) => CursorLine().Match(output) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"no cursor in: {output}");

    [GeneratedRegex(@"^cursor: (\S+)", RegexOptions.Multiline)]
    private static partial Regex CursorLine();

    [GeneratedRegex(@"report (\d+),")]
    private static partial Regex ReportId();
}
