using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace RepSec.Server.Connections;

/// <summary>
/// One bound TCP socket whose connections repsecd serves itself, over an <see cref="SslStream"/>, instead of
/// through Kestrel's pipes: accepts, admits (<see cref="ConnectionGate"/>), shakes hands, then runs what
/// <see cref="Open"/> returns. A sweep once a second ends connections past their deadline. At shutdown, idle
/// connections close at once and busy ones after their current answer, within the host's shutdown timeout.
/// Kestrel owns its lifetime (bind, unbind, dispose) as for any of its listeners.
/// </summary>
internal abstract partial class TlsListener : IConnectionListener
{
    private readonly Socket _socket;
    private readonly SslServerAuthenticationOptions _tls;
    private readonly ConnectionGate _gate;
    private readonly TimeSpan _handshakeTimeout;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ConcurrentDictionary<IServedConnection, Task> _connections = new();
    private readonly ITimer _sweep;
    private Task _accepting = Task.CompletedTask;
    private volatile bool _stopping;

    protected TlsListener(Socket socket, SslServerAuthenticationOptions tls, ConnectionGate gate, TimeSpan handshakeTimeout, TimeSpan shutdownTimeout,
        TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _tls = tls;
        _gate = gate;
        _handshakeTimeout = handshakeTimeout;
        _shutdownTimeout = shutdownTimeout;
        Time = time;
        Logger = logger;
        _sweep = time.CreateTimer(static state => ((TlsListener)state!).Sweep(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public abstract EndPoint EndPoint { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>The protocol's name in log lines.</summary>
    protected abstract string Protocol { get; }

    /// <summary>A listening TCP socket on <paramref name="address"/> (dual-stack when it is IPv6's any address).</summary>
    public static Socket Bind(IPEndPoint address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(address);
            socket.Listen(512);
            return socket;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(exception.Message, exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting; called once, by the factory that bound the socket.</summary>
    public void Start() => _accepting = AcceptLoopAsync();

    public abstract ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default);

    public virtual async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _socket.Dispose();
        await _accepting;
        foreach (var connection in _connections.Keys)
        {
            connection.CloseWhenDone();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await UnbindAsync();
        // Busy connections finish their answer within the host's shutdown timeout; then they are cut off, and one
        // whose work does not end on its abort is left behind after one more second.
        var serving = Task.WhenAll(_connections.Values);
        if (await Task.WhenAny(serving, Task.Delay(_shutdownTimeout, Time)) != serving)
        {
            foreach (var connection in _connections.Keys)
            {
                connection.Abort();
            }

            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(1), Time));
        }

        await _sweep.DisposeAsync();
    }

    /// <summary>
    /// The connection to serve after the handshake, or null when the connection was handed on: then whoever took it
    /// owns <paramref name="tls"/> and calls <paramref name="release"/> when it ends.
    /// </summary>
    protected abstract IServedConnection? Open(Socket client, SslStream tls, IPEndPoint remote, IPEndPoint local, Action release);

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
                LogAcceptFailed(Logger, Protocol, exception);
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

        var handedOn = false;
        var tls = new SslStream(new NetworkStream(client, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using (var timeout = new CancellationTokenSource(_handshakeTimeout, Time))
            {
                await tls.AuthenticateAsServerAsync(_tls, timeout.Token);
            }

            var connection = Open(client, tls, remote, local, () => _gate.Leave(remote.Address));
            if (connection is null)
            {
                handedOn = true;
                return;
            }

            var serving = connection.RunAsync();
            _connections[connection] = serving;
            if (_stopping)
            {
                connection.CloseWhenDone();
            }

            try
            {
                await serving;
            }
            finally
            {
                _connections.TryRemove(connection, out _);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException or SocketException)
        {
            LogHandshakeFailed(Logger, Protocol, remote.Address, exception.Message);
        }
        finally
        {
            if (!handedOn)
            {
                await tls.DisposeAsync();
                _gate.Leave(remote.Address);
            }
        }
    }

    private void Sweep()
    {
        var now = Time.GetTimestamp();
        foreach (var connection in _connections.Keys)
        {
            if (connection.Expired(now))
            {
                connection.Expire();
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endpoint) => new(ConnectionGate.Normalize(endpoint.Address), endpoint.Port);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "{Protocol} TLS handshake with {Address} did not complete: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string protocol, IPAddress address, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "{Protocol} listener could not accept a connection")]
    private static partial void LogAcceptFailed(ILogger logger, string protocol, Exception exception);
}

/// <summary>A connection a <see cref="TlsListener"/> serves: its loop, and what the sweep and shutdown do to it.</summary>
internal interface IServedConnection
{
    /// <summary>Serves until the client closes, the connection fails or times out, or shutdown ends it.</summary>
    Task RunAsync();

    /// <summary>True when the connection has waited past its deadline.</summary>
    bool Expired(long now);

    /// <summary>Ends an expired wait.</summary>
    void Expire();

    /// <summary>At shutdown: an idle connection closes at once; a busy one after its current answer.</summary>
    void CloseWhenDone();

    /// <summary>Closes the connection now.</summary>
    void Abort();
}
