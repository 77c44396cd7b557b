using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// contrib/fail2ban/action.d/repsec.conf run by Debian's fail2ban itself: a jail with the action bans an address
/// (from a log line it matched, and by hand), fail2ban runs the action's actionban, and the address is reported with
/// the jail as evidence; banning it again within the hour (the server's report_too_soon) is not an action error.
/// </summary>
public sealed class Fail2banTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("repsec-fail2ban-").FullName;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Fail2banAsync("stop");
        }
        catch (InvalidOperationException)
        {
            // Not started.
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_ban_in_a_jail_with_the_action_reports_the_address_with_the_jail_as_evidence()
    {
        var token = await _server.IssueTokenAsync("fail2ban", Role.Registrant);
        var tokenFile = Path.Combine(_directory, "repsec.token");
        await File.WriteAllTextAsync(tokenFile, token);
        var log = Path.Combine(_directory, "auth.log");
        await File.WriteAllTextAsync(log, "");
        Directory.CreateDirectory(Path.Combine(_directory, "action.d"));
        Directory.CreateDirectory(Path.Combine(_directory, "filter.d"));
        File.Copy(RepSec.Testing.Repository.File("contrib", "fail2ban", "action.d", "repsec.conf"), Path.Combine(_directory, "action.d", "repsec.conf"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "filter.d", "repsec-test.conf"), "[Definition]\nfailregex = ^failed login from <HOST>$\ndatepattern = {NONE}\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "fail2ban.conf"), $"""
            [Definition]
            loglevel = INFO
            logtarget = {_directory}/fail2ban.log
            socket = {_directory}/fail2ban.sock
            pidfile = {_directory}/fail2ban.pid
            dbfile = :memory:
            """);
        var client = Path.Combine(AppContext.BaseDirectory, "repsec.dll");
        await File.WriteAllTextAsync(Path.Combine(_directory, "jail.conf"), $"""
            [DEFAULT]
            backend = polling
            [repsec-test]
            enabled = true
            filter = repsec-test
            logpath = {log}
            maxretry = 2
            findtime = 600
            bantime = 600
            action = repsec[repsec="dotnet {client}", server="127.0.0.1:{_server.Port}", ca="{_server.CaPath}", token_file="{tokenFile}", assertion="abuse", rating="0.7"]
            """);

        await Fail2banAsync("-x", "start");
        // Two failures from one address, as sshd would log them: fail2ban bans it and runs actionban.
        await File.AppendAllTextAsync(log, "failed login from 192.0.2.51\nfailed login from 192.0.2.51\n");
        var logged = await ReportedAsync("192.0.2.51", token);
        Assert.Equal(0.7, logged.GetProperty("rating").GetDouble());
        Assert.Equal(["fail2ban"], logged.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.StartsWith("fail2ban jail repsec-test: 2 failures", logged.GetProperty("evidence").GetString());

        // By hand, unbanned and banned again at once: the second report is too soon, which the action takes as done.
        await Fail2banAsync("set", "repsec-test", "banip", "192.0.2.52");
        await ReportedAsync("192.0.2.52", token);
        await Fail2banAsync("set", "repsec-test", "unbanip", "192.0.2.52");
        await Fail2banAsync("set", "repsec-test", "banip", "192.0.2.52");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var fail2banLog = await File.ReadAllTextAsync(Path.Combine(_directory, "fail2ban.log"));
        Assert.Contains("Ban 192.0.2.52", fail2banLog);
        Assert.DoesNotContain("ERROR", fail2banLog);
    }

    /// <summary>Waits (up to 30 s) for the address's report by the fail2ban principal, and returns it.</summary>
    private async Task<JsonElement> ReportedAsync(string address, string token)
    {
        for (var i = 0; i < 150; i++)
        {
            await using var wire = await _server.ConnectAsync();
            var answer = await wire.RequestAsync(JsonSerializer.Serialize(new { command = "REPUTATION", entity = address, reports = true, auth = token }));
            if (answer.TryGetProperty("reports", out var reports) && reports.GetArrayLength() > 0)
            {
                return reports[0];
            }

            await Task.Delay(200);
        }

        Assert.Fail($"fail2ban did not report {address}: {await File.ReadAllTextAsync(Path.Combine(_directory, "fail2ban.log"))}");
        return default;
    }

    private async Task Fail2banAsync(params string[] arguments)
    {
        var (exit, output, error) = await Tool.RunAsync("fail2ban-client", ["-c", _directory, .. arguments], "fail2ban");
        if (exit != 0)
        {
            throw new InvalidOperationException($"fail2ban-client {string.Join(' ', arguments)}: exit {exit}: {output}{error}");
        }
    }
}
