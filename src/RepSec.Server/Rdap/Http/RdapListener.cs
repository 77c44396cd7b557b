using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using RepSec.Server.Connections;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// One bound RDAP socket: accepts, admits, shakes hands, then serves HTTP/1.1 itself or queues an HTTP/2
/// connection for Kestrel's <see cref="AcceptAsync"/>. A sweep once a second closes connections past their
/// deadline (handshake, request headers, keep-alive). At shutdown, idle connections close at once and busy ones
/// after their current answer; Kestrel's own connections drain as Kestrel decides.
/// </summary>
internal sealed partial class RdapListener : IConnectionListener
{
    private readonly Socket _socket;
    private readonly RdapEndPoint _endpoint;
    private readonly Http1Settings _settings;
    private readonly ConnectionGate _gate;
    private readonly TimeSpan _handshakeTimeout;
    private readonly Channel<ConnectionContext> _http2 = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Http1Connection, Task> _connections = new();
    private readonly ITimer _sweep;
    private readonly Task _accepting;
    private volatile bool _stopping;

    public RdapListener(Socket socket, RdapEndPoint endpoint, Http1Settings settings, ConnectionGate gate, TimeSpan handshakeTimeout)
    {
        _socket = socket;
        _endpoint = endpoint;
        _settings = settings;
        _gate = gate;
        _handshakeTimeout = handshakeTimeout;
        _sweep = settings.Time.CreateTimer(static state => ((RdapListener)state!).Sweep(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _accepting = AcceptLoopAsync();
    }

    public EndPoint EndPoint => _endpoint;

    /// <summary>The next HTTP/2 connection, for Kestrel; null once the listener is unbound.</summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
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

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _socket.Dispose();
        await _accepting;
        _http2.Writer.TryComplete();
        foreach (var connection in _connections.Keys)
        {
            connection.CloseWhenDone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync();
        // Busy connections finish their answer within the host's shutdown timeout; then they are cut off, and a
        // pipeline that does not end on RequestAborted is left behind after one more second.
        var serving = Task.WhenAll(_connections.Values);
        if (await Task.WhenAny(serving, Task.Delay(_settings.ShutdownTimeout, _settings.Time)) != serving)
        {
            foreach (var connection in _connections.Keys)
            {
                connection.Abort();
            }

            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(1), _settings.Time));
        }

        await _sweep.DisposeAsync();
        while (_http2.Reader.TryRead(out var unclaimed))
        {
            await unclaimed.DisposeAsync();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return;
                }

                // EMFILE and the like: the next accept may succeed once connections close.
                LogAcceptFailed(_settings.Logger, exception);
                await Task.Delay(100);
                continue;
            }

            // The handshake's key exchange and signature run on the thread pool, not on this loop: a burst of new
            // connections is shaken hands with on every core while the next ones are accepted.
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        IPEndPoint remote, local;
        try
        {
            client.NoDelay = true;
            remote = Normalize((IPEndPoint)client.RemoteEndPoint!);
            local = Normalize((IPEndPoint)client.LocalEndPoint!);
        }
        catch (SocketException)
        {
            // Reset before it was served.
            client.Dispose();
            return;
        }

        if (!_gate.TryAdmit(remote.Address, out _))
        {
            client.Dispose();
            return;
        }

        var handedOff = false;
        var tls = new SslStream(new NetworkStream(client, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using (var timeout = new CancellationTokenSource(_handshakeTimeout, _settings.Time))
            {
                await tls.AuthenticateAsServerAsync(_endpoint.Tls, timeout.Token);
            }

            if (tls.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
            {
                var connection = new Http2Handoff(client, tls, remote, local, _settings.NextConnectionId(), () => _gate.Leave(remote.Address));
                handedOff = _http2.Writer.TryWrite(connection);
                if (!handedOff)
                {
                    await connection.DisposeAsync();
                    handedOff = true;
                }

                return;
            }

            var http1 = new Http1Connection(client, tls, remote, local, _settings);
            var serving = http1.RunAsync();
            _connections[http1] = serving;
            if (_stopping)
            {
                http1.CloseWhenDone();
            }

            try
            {
                await serving;
            }
            finally
            {
                _connections.TryRemove(http1, out _);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException or SocketException)
        {
            LogHandshakeFailed(_settings.Logger, remote.Address, exception.Message);
        }
        finally
        {
            if (!handedOff)
            {
                await tls.DisposeAsync();
                _gate.Leave(remote.Address);
            }
        }
    }

    private void Sweep()
    {
        var now = _settings.Time.GetTimestamp();
        foreach (var connection in _connections.Keys)
        {
            if (connection.Expired(now))
            {
                connection.Expire();
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endpoint) => new(ConnectionGate.Normalize(endpoint.Address), endpoint.Port);

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "RDAP TLS handshake with {Address} did not complete: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, IPAddress address, string reason);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "RDAP listener could not accept a connection")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);
}
