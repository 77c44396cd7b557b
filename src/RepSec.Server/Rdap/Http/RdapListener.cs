using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using RepSec.Server.Connections;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// One bound RDAP socket: after the handshake (<see cref="TlsListener"/>) it serves HTTP/1.1 itself
/// (<see cref="Http1Connection"/>) or queues an HTTP/2 connection for Kestrel's <see cref="AcceptAsync"/>, whose
/// connections drain as Kestrel decides.
/// </summary>
internal sealed class RdapListener(Socket socket, RdapEndPoint endpoint, Http1Settings settings, ConnectionGate gate, TimeSpan handshakeTimeout)
    : TlsListener(socket, endpoint.Tls, gate, handshakeTimeout, settings.ShutdownTimeout, settings.Time, settings.Logger)
{
    private readonly Channel<ConnectionContext> _http2 = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });

    public override EndPoint EndPoint => endpoint;

    protected override string Protocol => "RDAP";

    /// <summary>The next HTTP/2 connection, for Kestrel; null once the listener is unbound.</summary>
    public override async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _http2.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public override async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await base.UnbindAsync(cancellationToken);
        _http2.Writer.TryComplete();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        while (_http2.Reader.TryRead(out var unclaimed))
        {
            await unclaimed.DisposeAsync();
        }
    }

    protected override IServedConnection? Open(Socket client, SslStream tls, IPEndPoint remote, IPEndPoint local, Action release)
    {
        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            return new Http1Connection(client, tls, remote, local, settings);
        }

        var connection = new Http2Handoff(client, tls, remote, local, settings.NextConnectionId(), release);
        if (!_http2.Writer.TryWrite(connection))
        {
            // Unbound meanwhile: nobody will take it.
            _ = connection.DisposeAsync().AsTask();
        }

        return null;
    }
}
