using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Operations;

/// <summary>
/// <c>--metrics-port</c>: what an operator's Prometheus scrapes, after traffic that moves every counter the docs
/// name, checked with Debian's <c>promtool check metrics</c>.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    /// <summary>The <c>RepSec</c> meter's instruments (docs/operations.md) under their Prometheus names.</summary>
    private static readonly string[] RepSecSeries =
    [
        "repsec_requests_total",
        "repsec_rdap_requests_total",
        "repsec_auth_failures_total",
        "repsec_rate_limited_total",
        "repsec_connections_rejected_total",
        "repsec_connections",
        "repsec_reputation_reports_total",
    ];

    /// <summary>One instrument of each other meter exported: the runtime, ASP.NET Core's hosting, Kestrel.</summary>
    private static readonly string[] PlatformSeries =
    [
        "dotnet_gc_collections_total",
        "http_server_request_duration_seconds_bucket",
        "kestrel_active_connections",
    ];

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RepSec:Metrics:Port"] = "0",
        ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "1",
        ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "1",
        ["RepSec:MaxConnectionsPerAddress"] = "6",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_scrape_shows_every_documented_counter_and_passes_promtool()
    {
        await MoveEveryCounterAsync();

        var text = await ScrapeAsync("/metrics");

        Assert.All(RepSecSeries.Concat(PlatformSeries), name => Assert.Contains($"\n{name}", text, StringComparison.Ordinal));
        Assert.Contains("repsec_rate_limited_total{otel_scope_name=\"RepSec\",scope=", text, StringComparison.Ordinal);
        var (exit, output) = await PromtoolAsync(text);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task The_scrape_listener_answers_only_metrics_and_the_RDAP_listener_no_metrics()
    {
        using var scrape = ScrapeClient();
        using var rdap = _server.RdapHttp();

        using var other = await scrape.GetAsync(new Uri($"https://127.0.0.1:{_server.Host.MetricsPort}/rdap/domain/example.com"));
        using var notHere = await rdap.GetAsync(new Uri($"https://127.0.0.1:{_server.RdapPort}/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(string.Empty, await other.Content.ReadAsStringAsync());
        Assert.Equal("application/rdap+json", notHere.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_scrape_listener_speaks_TLS_only()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.Host.MetricsPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        var buffer = new byte[256];
        var read = await ReadSomeAsync(stream, buffer);

        Assert.DoesNotContain("repsec_", System.Text.Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    /// <summary>Requests, an RDAP request, a failed authentication, an RDAP 429, a refused connection, a report.</summary>
    private async Task MoveEveryCounterAsync()
    {
        var token = await _server.IssueTokenAsync("alice", Role.Registrant);
        string[] global = ["--server", $"127.0.0.1:{_server.Port}", "--ca", _server.CaPath];
        Assert.Equal(0, await CliApp.RunAsync([.. global, "ping"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, await CliApp.RunAsync([.. global, "--token", token, "report", "bad.example", "--assertion", "spam", "--rating", "0.9"],
            TextWriter.Null, TextWriter.Null));
        Assert.NotEqual(0, await CliApp.RunAsync([.. global, "--token", "rs_0000000000000000_wrong", "register", "x.example", "--type", "domain"], TextWriter.Null, TextWriter.Null));

        using (var rdap = _server.RdapHttp())
        {
            using var first = await rdap.GetAsync(new Uri("domain/bad.example", UriKind.Relative));
            using var second = await rdap.GetAsync(new Uri("domain/bad.example", UriKind.Relative));
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            // HTTP/2 is Kestrel's, so ASP.NET Core's hosting instruments count it (HTTP/1.1 is repsecd's own loop).
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("domain/bad.example", UriKind.Relative))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var overHttp2 = await rdap.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        }

        var open = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var tcp = new TcpClient();
                open.Add(tcp);
                await tcp.ConnectAsync(IPAddress.Loopback, _server.Port);
            }

            // The connections past the cap are closed by the server at once; wait for the count to show.
            await Task.Delay(200);
        }
        finally
        {
            open.ForEach(tcp => tcp.Dispose());
        }
    }

    private async Task<string> ScrapeAsync(string path)
    {
        using var scrape = ScrapeClient();
        using var response = await scrape.GetAsync(new Uri($"https://127.0.0.1:{_server.Host.MetricsPort}{path}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return "\n" + await response.Content.ReadAsStringAsync();
    }

    private HttpClient ScrapeClient() => new(new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = DevelopmentTrust.Policy(_server.CaPath) },
    });

    private static async Task<int> ReadSomeAsync(NetworkStream stream, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Debian's promtool (package prometheus) on the scraped text.</summary>
    private static async Task<(int Exit, string Output)> PromtoolAsync(string text)
    {
        var info = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("promtool is not installed (Debian package prometheus; .ci/run installs it)");
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(text.TrimStart('\n'));
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }
}
