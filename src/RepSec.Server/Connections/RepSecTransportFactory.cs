using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Dispatch;

namespace RepSec.Server.Connections;

/// <summary>
/// The RepSec port's transport in Kestrel. It accepts, admits (<see cref="ConnectionGate"/>), runs the TLS
/// handshake and serves each connection itself (<see cref="RepSecConnection"/>) straight over its
/// <see cref="System.Net.Security.SslStream"/>: requests are small, and most of a small request's cost was the
/// layers of pipes between socket and answer. Kestrel binds, unbinds and disposes it with its other listeners.
/// </summary>
internal sealed class RepSecTransportFactory(
    RequestDispatcher dispatcher,
    RepSecMetrics metrics,
    ConnectionGate gate,
    ServerOptions server,
    IOptions<HostOptions> host,
    TimeProvider time,
    ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is RepSecEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var repsec = (RepSecEndPoint)endpoint;
        var socket = TlsListener.Bind(repsec.Address);
        var serving = new RepSecServing(dispatcher, metrics, TimeSpan.FromSeconds(server.IdleTimeoutSeconds), time, loggers.CreateLogger<RepSecConnection>());
        var bound = new RepSecEndPoint((IPEndPoint)socket.LocalEndPoint!, repsec.Tls);
        var listener = new RepSecListener(socket, bound, serving, gate, TimeSpan.FromSeconds(server.HandshakeTimeoutSeconds), host.Value.ShutdownTimeout);
        listener.Start();
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
