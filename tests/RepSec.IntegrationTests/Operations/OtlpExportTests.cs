using System.Net;
using System.Text;
using RepSec.Cli;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Operations;

/// <summary>
/// <c>RepSec:Metrics:OtlpEndpoint</c>: repsecd pushes its instruments to an OTLP/HTTP collector. The collector here
/// is a listener that takes the POSTs as a collector's HTTP receiver would and keeps their bodies.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_instruments_are_pushed_to_the_configured_collector()
    {
        var port = RepsecdProcess.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Metrics:OtlpEndpoint"] = $"http://127.0.0.1:{port}/v1/metrics",
            ["RepSec:Metrics:OtlpProtocol"] = "http/protobuf",
            ["RepSec:Metrics:OtlpIntervalSeconds"] = "1",
        });
        Assert.Equal(0, await CliApp.RunAsync(["--server", $"127.0.0.1:{server.Port}", "--ca", server.CaPath, "ping"], TextWriter.Null, TextWriter.Null));

        var (path, contentType, body) = await ReceiveUntilAsync(collector, "repsec.requests");

        Assert.Equal("/v1/metrics", path);
        Assert.Equal("application/x-protobuf", contentType);
        Assert.Contains("repsecd", body, StringComparison.Ordinal);
        Assert.Equal(0, server.Host.MetricsPort);
    }

    /// <summary>Answers the pushes with 200 until one carries <paramref name="instrument"/> (the names travel as UTF-8).</summary>
    private static async Task<(string Path, string? ContentType, string Body)> ReceiveUntilAsync(HttpListener collector, string instrument)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var context = await collector.GetContextAsync().WaitAsync(timeout.Token);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, timeout.Token);
            context.Response.StatusCode = 200;
            context.Response.Close();
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (text.Contains(instrument, StringComparison.Ordinal))
            {
                return (context.Request.Url!.AbsolutePath, context.Request.ContentType, text);
            }
        }
    }
}
