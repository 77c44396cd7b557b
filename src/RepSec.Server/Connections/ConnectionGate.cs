using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using RepSec.Core;

namespace RepSec.Server.Connections;

/// <summary>
/// Caps open connections in total and per client address. It runs before the TLS handshake, so a flood of
/// connections costs the server no cryptography; refused connections are closed at once.
/// </summary>
internal sealed partial class ConnectionGate(ServerOptions options, RepSecMetrics metrics, TimeProvider time, ILogger<ConnectionGate> logger)
{
    // A flood is thousands of refusals a second, and a log line each would pass the flood on to the log and its
    // disk: one line per interval names the latest refusal and counts the others. The metric counts every one.
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;
    private long _unlogged;
    private long _loggedAt;

    /// <summary>The gate as Kestrel connection middleware, for a port Kestrel accepts on itself.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = Normalize((connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None);
        if (!TryAdmit(address, out var refusal))
        {
            connection.Abort(new ConnectionAbortedException(refusal));
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    };

    /// <summary>Counts a new connection from <paramref name="address"/>, or refuses it (counted, logged) when a cap is reached.</summary>
    public bool TryAdmit(IPAddress address, out string refusal)
    {
        refusal = TryEnter(address) ?? "";
        if (refusal.Length == 0)
        {
            return true;
        }

        metrics.ConnectionRejected(refusal);
        LogRefusal(address, refusal);
        return false;
    }

    /// <summary>Releases a connection <see cref="TryAdmit"/> admitted.</summary>
    public void Leave(IPAddress address) => Exit(address);

    /// <summary>An IPv4 client of a dual-stack socket as its IPv4 address, so that it shares limits with itself.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

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

    private void LogRefusal(IPAddress address, string reason)
    {
        var unlogged = Interlocked.Increment(ref _unlogged);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _loggedAt);
        if ((last != 0 && time.GetElapsedTime(last, now) < LogInterval) || Interlocked.CompareExchange(ref _loggedAt, now, last) != last)
        {
            return;
        }

        // What arrived between the read and the exchange is counted in the next line.
        Interlocked.Add(ref _unlogged, -unlogged);
        LogRefused(address.ToString(), reason, unlogged - 1, (int)LogInterval.TotalSeconds);
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

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Refused a connection from {Address}: {Reason} ({Others} other refusals since the previous such line; at most one line per {Seconds} s)")]
    private partial void LogRefused(string address, string reason, long others, int seconds);
}
