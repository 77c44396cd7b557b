namespace RepSec.Server.Rdap.Http;

/// <summary>What every HTTP/1.1 connection on one RDAP listener shares: the pipeline, the bounds and timeouts, and the services.</summary>
internal sealed class Http1Settings(RequestDelegate pipeline, Http1Limits limits, TimeSpan requestHeadersTimeout, TimeSpan keepAliveTimeout,
    TimeSpan shutdownTimeout, IServiceProvider services, TimeProvider time, ILogger logger)
{
    private long _lastConnectionId;

    public RequestDelegate Pipeline { get; } = pipeline;

    public Http1Limits Limits { get; } = limits;

    public TimeSpan RequestHeadersTimeout { get; } = requestHeadersTimeout;

    public TimeSpan KeepAliveTimeout { get; } = keepAliveTimeout;

    /// <summary>How long a stopping server waits for answers in progress (the host's shutdown timeout).</summary>
    public TimeSpan ShutdownTimeout { get; } = shutdownTimeout;

    public IServiceProvider Services { get; } = services;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public string NextConnectionId() => "rdap-" + Interlocked.Increment(ref _lastConnectionId).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
