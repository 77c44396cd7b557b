using System.Collections.Concurrent;
using System.Globalization;

namespace RepSec.Attack;

/// <summary>What an attack did and what it got back, counted from many tasks at once.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private long _connections;
    private long _requests;
    private long _bytes;
    private long _open;
    private long _peakOpen;

    public long Connections => Interlocked.Read(ref _connections);

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long PeakOpen => Interlocked.Read(ref _peakOpen);

    /// <summary>A connection attempt; pair with <see cref="Closed"/> when it was open.</summary>
    public void Connected()
    {
        Interlocked.Increment(ref _connections);
        var open = Interlocked.Increment(ref _open);
        long peak;
        while (open > (peak = Interlocked.Read(ref _peakOpen)) && Interlocked.CompareExchange(ref _peakOpen, open, peak) != peak)
        {
        }
    }

    public void Closed() => Interlocked.Decrement(ref _open);

    public void Attempted() => Interlocked.Increment(ref _connections);

    public void Request() => Interlocked.Increment(ref _requests);

    public void Sent(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Outcome(string what) => _outcomes.AddOrUpdate(what, 1, static (_, n) => n + 1);

    /// <summary>E.g. <c>431: 812, 401: 790</c>, most frequent first.</summary>
    public string Outcomes => _outcomes.IsEmpty ? "-" : string.Join(", ",
        _outcomes.OrderByDescending(o => o.Value).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key}: {o.Value}")));

    public string Volume
    {
        get
        {
            var parts = new List<string>();
            if (Connections > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Connections} conns (peak {PeakOpen} open)"));
            }

            if (Requests > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Requests} reqs"));
            }

            if (Bytes > 0)
            {
                parts.Add(Bytes >= 1 << 20
                    ? string.Create(CultureInfo.InvariantCulture, $"{Bytes / (1024.0 * 1024):F1} MB")
                    : string.Create(CultureInfo.InvariantCulture, $"{Bytes / 1024.0:F0} KB"));
            }

            return parts.Count == 0 ? "-" : string.Join(", ", parts);
        }
    }
}
