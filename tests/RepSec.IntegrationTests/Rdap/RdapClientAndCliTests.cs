using System.Diagnostics;
using System.Text.Json.Nodes;
using RepSec.Cli;
using RepSec.Client.Rdap;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>The RDAP client library and <c>repsec rdap</c>, and curl as a new user would run it.</summary>
public sealed class RdapClientAndCliTests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    [Fact]
    public async Task The_client_library_reads_with_basic_digest_and_bearer_and_follows_cursors()
    {
        var ca = fixture.Server.CaPath;
        using (var basic = new RdapClient(fixture.Server.RdapBase, new RdapClientOptions { CaCertificatePath = ca, UserName = "audra", Password = RdapFixture.AudraPassword }))
        using (var answer = await basic.DomainAsync("example.com"))
        {
            Assert.Contains("alice@example.net", answer.Raw, StringComparison.Ordinal);
        }

        using (var digest = new RdapClient(fixture.Server.RdapBase, new RdapClientOptions { CaCertificatePath = ca, UserName = "audra", Password = RdapFixture.AudraPassword, Digest = true }))
        using (var answer = await digest.IpAsync("192.0.2.0/24"))
        {
            Assert.Contains("alice@example.net", answer.Raw, StringComparison.Ordinal);
        }

        using var bearer = new RdapClient(fixture.Server.RdapBase, new RdapClientOptions { CaCertificatePath = ca, BearerToken = fixture.BobToken });
        using var page1 = await bearer.SearchDomainsAsync("ex*");
        Assert.NotNull(page1.NextCursor);
        using var page2 = await bearer.SearchDomainsAsync("ex*", cursor: page1.NextCursor);
        Assert.Equal(2, page2.Body.GetProperty("paging_metadata").GetProperty("pageNumber").GetInt32());

        var missing = await Assert.ThrowsAsync<RdapException>(() => bearer.AutnumAsync(1));
        Assert.Equal((404, "Not Found"), (missing.StatusCode, missing.Title));
    }

    [Fact]
    public async Task Repsec_rdap_prints_the_tiered_answer_and_maps_errors_to_exit_codes()
    {
        var common = new[] { "rdap", "--rdap", fixture.Server.RdapBase.ToString(), "--ca", fixture.Server.CaPath };
        var (code, stdout, _) = await RunCliAsync([.. common, "domain", "example.com"]);
        Assert.Equal(0, code);
        Assert.Contains("domain example.com", stdout, StringComparison.Ordinal);
        Assert.Contains("redacted: ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.net", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await RunCliAsync([.. common, "--user", "audra", "--password-stdin", "--digest", "domain", "example.com"], RdapFixture.AudraPassword);
        Assert.Equal(0, code);
        Assert.Contains("email: alice@example.net", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await RunCliAsync([.. common, "--json", "ip", "192.0.2.130"]);
        Assert.Equal(0, code);
        Assert.Equal("192.0.2.128/25", (string?)JsonNode.Parse(stdout)!["handle"]);

        var (missing, _, stderr) = await RunCliAsync([.. common, "domain", "nothing.example"]);
        Assert.Equal(6, missing);
        Assert.Contains("404", stderr, StringComparison.Ordinal);

        var (wrong, _, _) = await RunCliAsync([.. common, "--user", "audra", "--password-stdin", "domain", "example.com"], "not-the-password");
        Assert.Equal(5, wrong);
    }

    [Fact]
    public async Task Curl_gets_the_tiered_answers_with_basic_digest_bearer_and_anonymous()
    {
        if (!CurlAvailable())
        {
            Assert.Fail("curl is not installed; .ci/run installs it");
        }

        var url = new Uri(fixture.Server.RdapBase, "domain/example.com").ToString();
        var authUrl = new Uri(fixture.Server.RdapBase, "auth/domain/example.com").ToString();
        var anonymous = await CurlAsync(url);
        var basic = await CurlAsync("--basic", "-u", $"audra:{RdapFixture.AudraPassword}", url);
        var digest = await CurlAsync("--digest", "-u", $"audra:{RdapFixture.AudraPassword}", authUrl);
        var bearer = await CurlAsync("-H", $"Authorization: Bearer {fixture.BobToken}", url);

        Assert.DoesNotContain("alice@example.net", anonymous, StringComparison.Ordinal);
        Assert.Contains("alice@example.net", basic, StringComparison.Ordinal);
        Assert.Contains("alice@example.net", digest, StringComparison.Ordinal);
        Assert.Contains("Example Holdings", bearer, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.net", bearer, StringComparison.Ordinal);
    }

    private async Task<string> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-sS", "--fail-with-body", "--cacert", fixture.Server.CaPath, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl {string.Join(' ', arguments)} failed: {error} {output}");
        return output;
    }

    private static bool CurlAvailable() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(p => File.Exists(Path.Combine(p, "curl")));

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string[] args, string? stdin = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin ?? "");
        var code = await CliApp.RunAsync(args, stdout, stderr, input);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
