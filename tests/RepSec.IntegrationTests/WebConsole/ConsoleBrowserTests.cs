using System.Net;
using System.Text.RegularExpressions;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.WebConsole;

/// <summary>
/// The web console in a real browser (Debian's Chromium, headless, through chromedriver): it verifies an entity's history against the
/// signed log, raises the alarm on a tampered entry, on a changed log key and on a forked log, under a strict CSP.
/// Screenshots of each step go to <see cref="WebDriver.Screenshots"/>.
/// </summary>
public sealed partial class ConsoleBrowserTests : IAsyncLifetime
{
    private WebDriver _browser = null!;

    public async Task InitializeAsync() => _browser = await WebDriver.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_registered_domain_shows_every_history_entry_verified_under_a_strict_CSP()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");

        var dom = await _browser.VisitAsync(Page(server, "example.com"), "1-verified.png");

        Assert.Contains("3 of 3 entries verified in this browser", Text(dom), StringComparison.Ordinal);
        Assert.Equal(3, VerifiedCell().Matches(dom).Count);
        Assert.DoesNotContain("FAILED", dom, StringComparison.Ordinal);
        Assert.Matches("<div id=\"alarm\" role=\"alert\" hidden=\"\">\\s*</div>", dom);
        Assert.Contains("pinned on this first visit", Text(dom), StringComparison.Ordinal);
        Assert.Empty(await _browser.ConsoleAsync());
        using var http = server.RdapHttp();
        using var page = await http.GetAsync(new Uri($"https://127.0.0.1:{server.RdapPort}/"));
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_phone_wide_screen_the_page_fits_without_sideways_scrolling()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");
        await _browser.ResizeAsync(390, 844);

        var text = Text(await _browser.VisitAsync(Page(server, "example.com"), "7-phone.png"));

        Assert.Contains("3 of 3 entries verified in this browser", text, StringComparison.Ordinal);
        Assert.True(await _browser.FitsWidthAsync());
    }

    [Theory]
    [InlineData("192.0.2.1", "ip", "192.0.2.1 (ip)")]
    [InlineData("192.0.2.0/24", "ip", "192.0.2.0/24 (ip)")]
    [InlineData("AS64500", "asn", "(asn)")]
    [InlineData("Carol@Example.NET", "userid", "(userid)")]
    [InlineData("Bücher.example", "domain", "xn--bcher-kva.example (domain)")]
    public async Task Every_kind_of_entity_is_looked_up_and_verified(string entity, string type, string title)
    {
        await using var server = await TestServer.StartAsync();
        var token = await server.IssueTokenAsync("owner", Role.Registrant);
        Assert.Equal(0, await CliApp.RunAsync(["--server", $"127.0.0.1:{server.Port}", "--ca", server.CaPath, "--token", token,
            "register", entity, "--type", type], TextWriter.Null, TextWriter.Null));

        var text = Text(await _browser.VisitAsync(Page(server, entity)));

        Assert.Contains(title, text, StringComparison.Ordinal);
        Assert.Contains("1 of 1 entry verified in this browser", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RDAP answered", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_log_entry_edited_on_disk_fails_in_the_page_and_raises_the_alarm()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");
        await _browser.VisitAsync(Page(server, "example.com"));

        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "repsec.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var edit = db.CreateCommand();
            edit.CommandText = "UPDATE log_entries SET at = at - 86400000 WHERE action = 'remove'";
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var dom = await _browser.VisitAsync(Page(server, "example.com"), "2-tampered.png");

        Assert.Contains("FAILED: not in the signed log", dom, StringComparison.Ordinal);
        Assert.Equal(2, VerifiedCell().Matches(dom).Count);
        Assert.Contains("1 history entry does not verify against the signed log", Text(dom), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_log_key_on_the_same_origin_is_a_loud_warning_and_nothing_is_verified()
    {
        var port = Operations.RepsecdProcess.FreePort();
        var settings = new Dictionary<string, string?> { ["RepSec:RdapPort"] = $"{port}" };
        await using (var first = await TestServer.StartAsync(settings))
        {
            await HistoryAsync(first, "example.com");
            await _browser.VisitAsync(Page(first, "example.com"));
        }

        await using var second = await TestServer.StartAsync(settings);
        await HistoryAsync(second, "example.com");

        var dom = await _browser.VisitAsync(Page(second, "example.com"), "3-key-changed.png");

        Assert.Contains("THE LOG KEY CHANGED", dom, StringComparison.Ordinal);
        Assert.Contains("Not verified: the log could not be trusted (see the alarm above).", Text(dom), StringComparison.Ordinal);
        Assert.Empty(VerifiedCell().Matches(dom));
    }

    [Fact]
    public async Task A_log_rebuilt_under_the_same_key_is_shown_as_a_fork()
    {
        var port = Operations.RepsecdProcess.FreePort();
        var rebuilt = Directory.CreateTempSubdirectory("repsec-fork-").FullName;
        await using (var first = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:RdapPort"] = $"{port}" }))
        {
            await HistoryAsync(first, "example.com");
            await _browser.VisitAsync(Page(first, "example.com"));
            foreach (var key in Directory.EnumerateFiles(first.DataDirectory, "log-key*"))
            {
                File.Copy(key, Path.Combine(rebuilt, Path.GetFileName(key)));
            }
        }

        // The dishonest operator: a new database, the same signing key, another history that is longer than the first.
        await using var second = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:RdapPort"] = $"{port}", ["RepSec:DataDirectory"] = rebuilt });
        await HistoryAsync(second, "example.com");
        await HistoryAsync(second, "example.net");

        var dom = await _browser.VisitAsync(Page(second, "example.com"), "4-fork.png");

        Assert.Contains("FORK: the log at size", dom, StringComparison.Ordinal);
        Assert.Contains("The log does not verify.", Text(dom), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_as_an_auditor_shows_the_actors_anonymous_readers_do_not_see()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");
        await server.SetPasswordAsync("audra", Role.Auditor, "a-long-password");

        await _browser.GoToAsync(Page(server, "example.com"));
        var anonymous = await _browser.TextAsync();
        await SignInAsync("#user", "audra", "#password", "a-long-password");
        var signedIn = await _browser.TextAsync();
        await _browser.ScreenshotAsync("5-signed-in.png");
        var console = await _browser.ConsoleAsync();

        Assert.Contains("Reading anonymously.", anonymous, StringComparison.Ordinal);
        Assert.Contains("withheld", anonymous, StringComparison.Ordinal);
        Assert.Contains("Signed in as audra (auditor)", signedIn, StringComparison.Ordinal);
        Assert.Contains("3 of 3 entries verified", signedIn, StringComparison.Ordinal);
        Assert.Matches(@"register\s+\S+\s+owner-", signedIn);
        Assert.Empty(console);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_page_stays_anonymous()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");
        await server.SetPasswordAsync("audra", Role.Auditor, "a-long-password");

        await _browser.GoToAsync(Page(server, "example.com"));
        await SignInAsync("#user", "audra", "#password", "not-the-password");

        Assert.Contains("Sign-in refused", await _browser.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_sees_live_figures_and_the_change_feed_grow_without_reloading()
    {
        await using var server = await TestServer.StartAsync();
        await HistoryAsync(server, "example.com");
        var admin = await server.IssueTokenAsync("root", Role.Admin);
        var reporter = await server.IssueTokenAsync("rita", Role.Registrant);

        await _browser.GoToAsync(Page(server, "example.com"));
        await SignInAsync("#token", admin);
        Assert.Equal(0, await CliApp.RunAsync(["--server", $"127.0.0.1:{server.Port}", "--ca", server.CaPath, "--token", reporter,
            "report", "bad.example", "--assertion", "spam", "--rating", "0.9"], TextWriter.Null, TextWriter.Null));
        var text = await _browser.TextAsync();
        for (var i = 0; i < 50 && !text.Contains("bad.example (domain): spam 0.9", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            text = await _browser.TextAsync();
        }

        await _browser.ScreenshotAsync("6-operator.png");

        Assert.Contains("Operator view", text, StringComparison.Ordinal);
        Assert.Contains("bad.example (domain): spam 0.9", text, StringComparison.Ordinal);
        Assert.Matches(@"Log size \(entries\): [1-9]", text);
        Assert.Matches(@"RepSec requests: [0-9.]+/s now, [1-9][0-9]* since the view opened", text);
        Assert.Empty(await _browser.ConsoleAsync());
    }

    [Fact]
    public async Task The_operator_view_stays_hidden_from_an_auditor()
    {
        await using var server = await TestServer.StartAsync();
        await server.SetPasswordAsync("audra", Role.Auditor, "a-long-password");

        await _browser.GoToAsync(Page(server, "example.com"));
        await SignInAsync("#user", "audra", "#password", "a-long-password");

        Assert.DoesNotContain("Operator view", await _browser.TextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Opens "Sign in", fills the fields given (selector, then text) and submits.</summary>
    private async Task SignInAsync(params string[] fields)
    {
        await _browser.ClickAsync("#signin summary");
        for (var i = 0; i < fields.Length; i += 2)
        {
            await _browser.TypeAsync(fields[i], fields[i + 1]);
        }

        await _browser.ClickAsync("#signin-form button[type=submit]");
    }

    /// <summary>Registers, removes and registers again <paramref name="domain"/>: three history entries.</summary>
    private static async Task HistoryAsync(TestServer server, string domain)
    {
        var token = await server.IssueTokenAsync($"owner-{Guid.NewGuid():N}"[..20], Role.Registrant);
        string[] global = ["--server", $"127.0.0.1:{server.Port}", "--ca", server.CaPath, "--token", token];
        foreach (string[] command in (string[][])[["register", domain, "--type", "domain"], ["remove", domain], ["register", domain, "--type", "domain"]])
        {
            Assert.Equal(0, await CliApp.RunAsync([.. global, .. command], TextWriter.Null, TextWriter.Null));
        }
    }

    private static Uri Page(TestServer server, string query) => new($"https://localhost:{server.RdapPort}/?q={WebUtility.UrlEncode(query)}");

    private static string Text(string dom) => Regex.Replace(WebUtility.HtmlDecode(Tags().Replace(dom, " ")), @"\s+", " ");

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("<td class=\"verified\">verified</td>")]
    private static partial Regex VerifiedCell();
}
