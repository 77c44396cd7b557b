using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Hostile;

/// <summary>
/// The <c>repsec.connections.rejected</c> counter of one test server, by reason: only that server's meter (made by
/// its own meter factory) is listened to, so servers of tests running alongside do not count.
/// </summary>
internal sealed class RejectedConnections : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public RejectedConnections(TestServer server)
    {
        var factory = server.Host.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "repsec.connections.rejected")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback((Instrument _, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: string reason })
                {
                    _counts.AddOrUpdate(reason, value, (_, count) => count + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string reason] => _counts.GetValueOrDefault(reason);

    public void Dispose() => _listener.Dispose();
}
