using System.Diagnostics.Metrics;
using RepSec.Core;

namespace RepSec.Server.WebConsole;

/// <summary>
/// Running totals of this server's <c>RepSec</c> counters for the console's operator view, read in-process. The
/// listener starts with the first request for them, so the instruments cost nothing until an admin looks; totals
/// count from then (<see cref="Since"/>), which is what rates need.
/// </summary>
internal sealed class OperatorStats(RepSecMetrics metrics, TimeProvider time) : IDisposable
{
    /// <summary>The instruments totalled, by name.</summary>
    public static readonly IReadOnlyList<string> Instruments =
        ["repsec.requests", "repsec.rdap.requests", "repsec.connections.rejected", "repsec.rate_limited", "repsec.auth.failures"];

    private readonly Lock _start = new();
    private readonly long[] _totals = new long[Instruments.Count];
    private MeterListener? _listener;

    public DateTimeOffset Since { get; private set; }

    /// <summary>The totals since <see cref="Since"/>, by instrument name; starts counting on the first call.</summary>
    public IReadOnlyDictionary<string, long> Read()
    {
        lock (_start)
        {
            if (_listener is null)
            {
                Since = time.GetUtcNow();
                _listener = new MeterListener
                {
                    InstrumentPublished = (instrument, listener) =>
                    {
                        if (instrument.Meter == metrics.Meter && Index(instrument.Name) >= 0)
                        {
                            listener.EnableMeasurementEvents(instrument, Index(instrument.Name));
                        }
                    },
                };
                _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Interlocked.Add(ref _totals[(int)state!], value));
                _listener.Start();
            }
        }

        return Instruments.Select((name, i) => (name, Interlocked.Read(ref _totals[i]))).ToDictionary(x => x.name, x => x.Item2);
    }

    private static int Index(string name)
    {
        for (var i = 0; i < Instruments.Count; i++)
        {
            if (Instruments[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    public void Dispose() => _listener?.Dispose();
}
