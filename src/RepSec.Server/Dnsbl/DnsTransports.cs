using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace RepSec.Server.Dnsbl;

/// <summary>
/// The DNSBL's sockets, under ARSoft.Tools.Net's <see cref="DnsServer"/> (which parses, answers and encodes):
/// bound by repsecd itself so that port 0 works and the bound port is known, and so that a source over its rate
/// limit is dropped before its packet is parsed.
/// </summary>
internal sealed class DnsUdpTransport(Socket socket, Func<IPAddress, bool> admit, Action dropped, DnsAnswerCache? cache, Action<ReadOnlySpan<byte>> cached)
    : IServerTransport
{
    // EDNS(0) lets a query be up to 4096 bytes in practice; anything longer is not a DNS query this zone answers.
    private const int MaxQuery = 4096;

    public IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    private Socket Socket => socket;

    public ushort DefaultAllowedResponseSize => 512;

    public bool SupportsMultipleResponses => false;

    public bool AllowTruncatedResponses => true;

    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    public static DnsUdpTransport Bind(IPEndPoint endPoint, Func<IPAddress, bool> admit, Action dropped, DnsAnswerCache? cache, Action<ReadOnlySpan<byte>> cached)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        socket.Bind(endPoint);
        return new DnsUdpTransport(socket, admit, dropped, cache, cached);
    }

    public void Bind()
    {
    }

    public void Close() => socket.Dispose();

    public void Dispose() => socket.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxQuery + 2);
        try
        {
            return await ReceiveAsync(buffer, token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<IServerConnection?> ReceiveAsync(byte[] buffer, CancellationToken token)
    {
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                // After room for the two-byte length that DnsReceivedRawPackage takes in front of the message.
                received = await socket.ReceiveFromAsync(buffer.AsMemory(2, MaxQuery), SocketFlags.None, any, token);
            }
            catch (Exception exception) when (Stopped(exception, token))
            {
                // ARSoft's accept loop ends on null; an exception escaping it would end the process.
                return null;
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier answer's destination, a datagram too long to be a query: next.
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            if (received.ReceivedBytes < 12 || !admit(remote.Address))
            {
                // Shorter than a DNS header (nothing to answer with), or over the source's rate: dropped unanswered.
                dropped();
                continue;
            }

            var query = buffer.AsSpan(2, received.ReceivedBytes);
            var entries = cache?.Current;
            if (entries is not null && entries.TryGet(query, out var answer) && Reply(answer, query, remote))
            {
                cached(answer);
                continue;
            }

            BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)received.ReceivedBytes);
            // The query's own bytes: the receive buffer goes back to the pool.
            return new Datagram(this, buffer[..(received.ReceivedBytes + 2)], remote, entries);
        }
    }

    /// <summary>Sends a cached answer with the query's id; false when it could not be sent now (ARSoft's path answers then).</summary>
    private bool Reply(byte[] answer, ReadOnlySpan<byte> query, IPEndPoint remote)
    {
        Span<byte> reply = answer.Length <= 1024 ? stackalloc byte[answer.Length] : new byte[answer.Length];
        answer.CopyTo(reply);
        query[..2].CopyTo(reply);
        try
        {
            socket.SendTo(reply, SocketFlags.None, remote);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether an accept failed because the server is stopping (rather than because of one bad packet or peer).</summary>
    internal static bool Stopped(Exception exception, CancellationToken token) =>
        token.IsCancellationRequested || exception is OperationCanceledException or ObjectDisposedException
        || (exception is SocketException socket && socket.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotSocket);

    private sealed class Datagram(DnsUdpTransport transport, byte[] query, IPEndPoint remote, DnsAnswerCache.Entries? entries) : IServerConnection
    {
        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => remote;

        public IPEndPoint LocalEndPoint => transport.LocalEndPoint;

        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            CanRead = false;
            return Task.FromResult<DnsReceivedRawPackage?>(new DnsReceivedRawPackage(query, remote, LocalEndPoint));
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
        {
            var answer = package.ToArraySegment(false);
            await transport.Socket.SendToAsync(answer, SocketFlags.None, remote, token);
            entries?.Add(query.AsSpan(2), answer);
            return true;
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>DNS over TCP (RFC 7766): two-byte length-prefixed messages, several per connection, closed when idle.</summary>
internal sealed class DnsTcpTransport(TcpListener listener, Func<IPAddress, bool> admit, Action dropped, TimeSpan idle) : IServerTransport
{
    public IPEndPoint LocalEndPoint => (IPEndPoint)listener.LocalEndpoint;

    public ushort DefaultAllowedResponseSize => ushort.MaxValue;

    public bool SupportsMultipleResponses => true;

    public bool AllowTruncatedResponses => false;

    public TransportProtocol TransportProtocol => TransportProtocol.Tcp;

    public static DnsTcpTransport Bind(IPEndPoint endPoint, Func<IPAddress, bool> admit, Action dropped, TimeSpan idle)
    {
        var listener = new TcpListener(endPoint);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        return new DnsTcpTransport(listener, admit, dropped, idle);
    }

    public void Bind()
    {
    }

    public void Close() => listener.Stop();

    public void Dispose() => listener.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(token);
            }
            catch (Exception exception) when (DnsUdpTransport.Stopped(exception, token))
            {
                // ARSoft's accept loop ends on null; an exception escaping it would end the process.
                return null;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted: next.
                continue;
            }

            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (_admit(remote.Address))
            {
                socket.NoDelay = true;
                return new Connection(this, socket, remote);
            }

            _dropped();
            socket.Dispose();
        }
    }

    private sealed class Connection(DnsTcpTransport transport, Socket socket, IPEndPoint remote) : IServerConnection
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);

        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => remote;

        public IPEndPoint LocalEndPoint => transport.LocalEndPoint;

        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(transport._idle);
            try
            {
                // DnsReceivedRawPackage takes the message with its two-byte length in front, as TCP carries it.
                var header = new byte[2];
                await _stream.ReadExactlyAsync(header, timeout.Token);
                var length = BinaryPrimitives.ReadUInt16BigEndian(header);
                var query = new byte[length + 2];
                header.CopyTo(query, 0);
                await _stream.ReadExactlyAsync(query.AsMemory(2), timeout.Token);
                if (length < 12 || !transport._admit(remote.Address))
                {
                    transport._dropped();
                    CanRead = false;
                    return null;
                }

                return new DnsReceivedRawPackage(query, remote, LocalEndPoint);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or EndOfStreamException or SocketException)
            {
                // Closed, reset or idle past its time: the connection ends.
                CanRead = false;
                return null;
            }
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
        {
            try
            {
                await _stream.WriteAsync(package.ToArraySegment(true), token);
                return true;
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                CanRead = false;
                return false;
            }
        }

        public void Dispose() => _stream.Dispose();
    }

    private readonly Func<IPAddress, bool> _admit = admit;
    private readonly Action _dropped = dropped;
    private readonly TimeSpan _idle = idle;
}
