using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace RepSec.Server.Connections;

/// <summary>One bound RepSec socket: after the handshake (<see cref="TlsListener"/>), a <see cref="RepSecConnection"/> serves it.</summary>
internal sealed class RepSecListener(Socket socket, RepSecEndPoint endpoint, RepSecServing serving, ConnectionGate gate, TimeSpan handshakeTimeout, TimeSpan shutdownTimeout)
    : TlsListener(socket, endpoint.Tls, gate, handshakeTimeout, shutdownTimeout, serving.Time, serving.Logger)
{
    private readonly TaskCompletionSource<ConnectionContext?> _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override EndPoint EndPoint => endpoint;

    protected override string Protocol => "RepSec";

    /// <summary>Kestrel's side of the port gets no connection: it waits here until the listener is unbound.</summary>
    public override ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
        new(_unbound.Task.WaitAsync(cancellationToken));

    public override async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await base.UnbindAsync(cancellationToken);
        _unbound.TrySetResult(null);
    }

    protected override IServedConnection Open(Socket client, SslStream tls, IPEndPoint remote, IPEndPoint local, Action release) =>
        new RepSecConnection(client, tls, remote.Address, serving);
}

/// <summary>
/// Where a RepSec listener binds, and with which TLS settings. Not an <see cref="IPEndPoint"/>, so that Kestrel
/// hands it to <see cref="RepSecTransportFactory"/> rather than to its socket transport.
/// </summary>
internal sealed class RepSecEndPoint(IPEndPoint address, SslServerAuthenticationOptions tls) : EndPoint
{
    public IPEndPoint Address { get; } = address;

    public SslServerAuthenticationOptions Tls { get; } = tls;

    public override string ToString() => Address.ToString();
}
