namespace RepSec.Server.Hosting;

/// <summary>
/// Metrics export (<c>RepSec:Metrics</c>): a Prometheus scrape endpoint on a listener of its own, OTLP push to a
/// collector, both, or neither (the default: no port is opened and nothing is sent unless asked for).
/// </summary>
public sealed record MetricsOptions
{
    /// <summary>Port of the HTTPS listener serving <c>/metrics</c> (Prometheus text format); unset: no listener. 0 picks a free port.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// OTLP collector to push to (<c>http://collector:4317</c> for gRPC, <c>http://collector:4318/v1/metrics</c> for
    /// HTTP); unset: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, if set, else no push.
    /// </summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>Seconds between OTLP pushes.</summary>
    public int OtlpIntervalSeconds { get; init; } = 60;

    /// <summary>Whether an OTLP collector is configured, here or by the standard environment variable.</summary>
    public bool Otlp => OtlpEndpoint is not null || Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 };

    public IEnumerable<string> Validate()
    {
        if (Port is < 0 or > 65_535)
        {
            yield return "RepSec:Metrics:Port must be 0-65535";
        }

        if (OtlpEndpoint is not null && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            yield return "RepSec:Metrics:OtlpEndpoint must be an absolute URL (http://collector:4317)";
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return "RepSec:Metrics:OtlpProtocol must be grpc or http/protobuf";
        }

        if (OtlpIntervalSeconds < 1)
        {
            yield return "RepSec:Metrics:OtlpIntervalSeconds must be positive";
        }
    }
}
