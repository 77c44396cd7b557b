using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RepSec.Server.Connections;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// The RDAP port's transport in Kestrel. It accepts, admits (<see cref="ConnectionGate"/>) and runs the TLS
/// handshake itself; a connection that negotiated HTTP/2 goes on to Kestrel, and an HTTP/1.1 one is served by
/// <see cref="Http1Connection"/> straight over its <see cref="System.Net.Security.SslStream"/>, without
/// Kestrel's pipes: RDAP lookups are small, and most of a lookup's cost was the layers between socket and answer.
/// </summary>
internal sealed class RdapTransportFactory(
    IServiceProvider services,
    ConnectionGate gate,
    ServerOptions server,
    IOptions<KestrelServerOptions> kestrel,
    IOptions<HostOptions> host,
    TimeProvider time,
    ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is RdapEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var rdap = (RdapEndPoint)endpoint;
        var socket = TlsListener.Bind(rdap.Address);
        var limits = kestrel.Value.Limits;
        var pipeline = new ApplicationBuilder(services);
        RdapPipeline.Configure(pipeline);
        var settings = new Http1Settings(
            pipeline.Build(),
            new Http1Limits(limits.MaxRequestLineSize, limits.MaxRequestHeadersTotalSize, limits.MaxRequestHeaderCount),
            TimeSpan.FromSeconds(server.RequestHeadersTimeoutSeconds),
            limits.KeepAliveTimeout,
            host.Value.ShutdownTimeout,
            services,
            time,
            loggers.CreateLogger<RdapListener>());
        var bound = new RdapEndPoint((IPEndPoint)socket.LocalEndPoint!, rdap.Tls);
        var listener = new RdapListener(socket, bound, settings, gate, TimeSpan.FromSeconds(server.HandshakeTimeoutSeconds));
        listener.Start();
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
