using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using RepSec.Core;

namespace RepSec.Server.Connections;

/// <summary>
/// Caps open connections in total and per client address. It runs before the TLS handshake, so a flood of
/// connections costs the server no cryptography; refused connections are closed at once.
/// </summary>
internal sealed partial class ConnectionGate(ServerOptions options, RepSecMetrics metrics, ILogger<ConnectionGate> logger)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = ClientAddress(connection);
        var refusal = TryEnter(address);
        if (refusal is not null)
        {
            metrics.ConnectionRejected(refusal);
            LogRefused(address.ToString(), refusal);
            connection.Abort(new ConnectionAbortedException(refusal));
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Exit(address);
        }
    };

    public static IPAddress ClientAddress(BaseConnectionContext connection)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private string? TryEnter(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > options.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            return "total_cap";
        }

        if (_perAddress.AddOrUpdate(address, 1, static (_, count) => count + 1) > options.MaxConnectionsPerAddress)
        {
            Exit(address);
            return "address_cap";
        }

        return null;
    }

    private void Exit(IPAddress address)
    {
        Interlocked.Decrement(ref _total);
        while (_perAddress.TryGetValue(address, out var count))
        {
            var done = count <= 1
                ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, count))
                : _perAddress.TryUpdate(address, count - 1, count);
            if (done)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Refused a connection from {Address}: {Reason}")]
    private partial void LogRefused(string address, string reason);
}
