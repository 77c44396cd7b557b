using System.Text.Json;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Cli;

/// <summary>The third layer: the repsec command line against a real server, as a user runs it.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _token = await _server.IssueTokenAsync("alice", Role.Registrant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] global = ["--server", $"localhost:{_server.Port}", "--ca", _server.CaPath];
        var exit = await CliApp.RunAsync([.. global, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Register_verify_audit_remove_as_a_user_would()
    {
        var register = await RunAsync("--token", _token, "register", "Cli.Example.", "--type", "domain", "--attr", "owner=ops");
        var verify = await RunAsync("verify", "cli.example");
        var audit = await RunAsync("--token", _token, "audit", "cli.example");
        var remove = await RunAsync("--token", _token, "remove", "cli.example");
        var gone = await RunAsync("verify", "cli.example");

        Assert.Equal(0, register.Exit);
        Assert.Matches(@"^registered cli\.example \(domain\) at \S+Z, log index \d+", register.Out);
        Assert.Equal(0, verify.Exit);
        Assert.Contains("cli.example (domain): verified", verify.Out, StringComparison.Ordinal);
        Assert.Equal(0, audit.Exit);
        Assert.Contains("register  alice", audit.Out, StringComparison.Ordinal);
        Assert.Equal(0, remove.Exit);
        Assert.StartsWith("removed cli.example (domain)", remove.Out, StringComparison.Ordinal);
        Assert.Equal(6, gone.Exit);
        Assert.Contains("404 not_found", gone.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_the_servers_response()
    {
        var (exit, output, _) = await RunAsync("--json", "hello");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, exit);
        Assert.Equal(200, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("repsec/1", json.RootElement.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task Exit_codes_name_the_error_class()
    {
        await RunAsync("--token", _token, "register", "twice.example", "--type", "domain");

        Assert.Equal(7, (await RunAsync("--token", _token, "register", "twice.example", "--type", "domain")).Exit);
        Assert.Equal(5, (await RunAsync("--token", "rs_0000000000000000_" + new string('B', 43), "register", "x.example", "--type", "domain")).Exit);
        Assert.Equal(5, (await RunAsync("register", "anon.example", "--type", "domain")).Exit);
        Assert.Equal(4, (await RunAsync("--token", _token, "register", "999.1.1.1", "--type", "ip")).Exit);
        Assert.Equal(2, (await RunAsync("register", "no-type.example")).Exit);
        Assert.Equal(2, (await RunAsync("frobnicate")).Exit);
    }

    [Fact]
    public async Task Without_the_ca_the_connection_is_refused_with_a_hint()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["--server", $"localhost:{_server.Port}", "ping"], stdout, stderr);

        Assert.Equal(3, exit);
        Assert.Contains("--ca", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rdap_port_is_named_as_not_a_repsec_port_rather_than_a_bare_handshake_failure()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["--server", $"localhost:{_server.RdapPort}", "--ca", _server.CaPath, "hello"], stdout, stderr);

        Assert.Equal(3, exit);
        Assert.Contains("does not speak RepSec", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("see inner exception", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_text_port_is_named_as_such()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var answer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]);   // the ClientHello, whatever its length
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["--server", $"127.0.0.1:{port}", "--ca", _server.CaPath, "hello"], TextWriter.Null, stderr);
        await answer;

        Assert.Equal(3, exit);
        Assert.Contains("answered in plain text, not TLS", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_says_so()
    {
        var port = Operations.RepsecdProcess.FreePort();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["--server", $"127.0.0.1:{port}", "--ca", _server.CaPath, "hello"], TextWriter.Null, stderr);

        Assert.Equal(3, exit);
        Assert.Contains($"nothing listens on port {port}: is repsecd running", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "token", "revoke" }, "give --id or --principal")]
    [InlineData(new[] { "token", "issue", "--principal", "x", "--role", "king" }, "unknown role 'king'")]
    [InlineData(new[] { "token", "revoke", "--bogus" }, "'--bogus'")]
    [InlineData(new[] { "--store", "sqlite", "token", "list" }, "--store before 'token list' would be ignored: put options after the command")]
    public async Task Repsecd_usage_errors_exit_2_and_say_what_is_wrong(string[] args, string message)
    {
        var (exit, _, error) = await NodeProcess.RunAsync(new Dictionary<string, string>(), [.. args, "--data", _server.DataDirectory]);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repsecd_operator_failures_exit_1()
    {
        var (exit, _, error) = await NodeProcess.RunAsync(new Dictionary<string, string>(), "token", "revoke", "--id", "rs_0000000000000000", "--data", _server.DataDirectory);

        Assert.Equal(1, exit);
        Assert.StartsWith("repsecd: ", error, StringComparison.Ordinal);
    }
}
