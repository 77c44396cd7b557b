using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RepSec.Core;

namespace RepSec.Server.Hosting;

/// <summary>
/// Metrics through OpenTelemetry: the <c>RepSec</c> meter, the runtime's and ASP.NET Core's (hosting, Kestrel),
/// scraped by Prometheus at <c>https://HOST:PORT/metrics</c> on a listener of their own, and/or pushed over OTLP.
/// The scrape listener speaks HTTPS with the server's certificate and answers nothing but <c>/metrics</c>; the RDAP
/// listener never answers <c>/metrics</c>.
/// </summary>
internal static class Metrics
{
    public const string Path = "/metrics";

    /// <summary>The meters exported, by name (docs/operations.md lists their instruments).</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        RepSecMetrics.MeterName,
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    /// <summary>
    /// The runtime's gauges whose names end in <c>.count</c>, which Prometheus reserves for histograms and summaries
    /// (promtool refuses them): exported under these names instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet.thread_pool.threads",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    /// <summary>Set on the scrape listener's connections, so the pipeline can tell them from RDAP's.</summary>
    private static readonly object ScrapeConnection = new();

    public static void AddMetrics(this IServiceCollection services, MetricsOptions options)
    {
        if (options.Port is null && !options.Otlp)
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("repsecd", serviceVersion: typeof(Metrics).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Meters]);
                foreach (var (from, to) in Renamed)
                {
                    metrics.AddView(from, new MetricStreamConfiguration { Name = to });
                }

                if (options.Port is not null)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.Otlp)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        if (options.OtlpEndpoint is { } endpoint)
                        {
                            exporter.Endpoint = new Uri(endpoint);
                            exporter.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        }

                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.OtlpIntervalSeconds * 1000;
                    });
                }
            });
    }

    /// <summary>The scrape listener on <paramref name="address"/>: HTTPS with the server's certificate, HTTP/1.1 and HTTP/2.</summary>
    public static void Listen(KestrelServerOptions kestrel, IPEndPoint address, SslServerAuthenticationOptions tls, TimeSpan handshakeTimeout, List<ListenOptions> listeners) =>
        kestrel.Listen(address, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.Use(next => connection =>
            {
                connection.Items[ScrapeConnection] = ScrapeConnection;
                return next(connection);
            });
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(tls), HandshakeTimeout = handshakeTimeout });
            listeners.Add(listen);
        });

    /// <summary>
    /// Sends the scrape listener's requests to the exporter (and anything but <c>/metrics</c> there to a 404), before
    /// the RDAP pipeline sees a request.
    /// </summary>
    public static void UseMetrics(this IApplicationBuilder app, MetricsOptions options)
    {
        if (options.Port is null)
        {
            return;
        }

        app.MapWhen(IsScrape, scrape =>
        {
            scrape.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: context => context.Request.Path == Path,
                path: null, configureBranchedPipeline: null, optionsName: null);
            scrape.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }

    private static bool IsScrape(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ScrapeConnection) == true;
}
