using System.Diagnostics.Metrics;

namespace RepSec.Core;

/// <summary>Counters under the <c>RepSec</c> meter (readable with dotnet-counters or any OpenTelemetry exporter).</summary>
public sealed class RepSecMetrics : IDisposable
{
    public const string MeterName = "RepSec";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rdapRequests;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _connectionsRejected;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _reports;
    private readonly Counter<long> _dnsblQueries;

    public RepSecMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("repsec.requests", description: "Requests answered, by status");
        _rdapRequests = _meter.CreateCounter<long>("repsec.rdap.requests", description: "RDAP requests answered, by status and authentication method");
        _authFailures = _meter.CreateCounter<long>("repsec.auth.failures", description: "Failed authentications (abuse detection)");
        _rateLimited = _meter.CreateCounter<long>("repsec.rate_limited", description: "Requests refused with 429, by scope");
        _connectionsRejected = _meter.CreateCounter<long>("repsec.connections.rejected", description: "Connections refused by a cap, by reason");
        _connections = _meter.CreateUpDownCounter<long>("repsec.connections", description: "Open RepSec connections");
        _reports = _meter.CreateCounter<long>("repsec.reputation.reports", description: "REPORTs, by assertion and outcome (new, superseding, too_soon)");
        _dnsblQueries = _meter.CreateCounter<long>("repsec.dnsbl.queries", description: "DNSBL queries, by transport and outcome (listed, not_listed, refused, error, dropped)");
    }

    /// <summary>The meter these instruments belong to (one per server, so a listener can tell this server's apart).</summary>
    public Meter Meter => _meter;

    public void Request(int status)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new KeyValuePair<string, object?>("status", status));
        }
    }

    public void RdapRequest(int status, string method)
    {
        if (_rdapRequests.Enabled)
        {
            _rdapRequests.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("auth", method));
        }
    }

    public void AuthFailure() => _authFailures.Add(1);

    public void RateLimited(string scope) => _rateLimited.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void ConnectionRejected(string reason) => _connectionsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void Report(string assertion, string outcome) =>
        _reports.Add(1, new KeyValuePair<string, object?>("assertion", assertion), new KeyValuePair<string, object?>("outcome", outcome));

    public void DnsblQuery(string transport, string outcome)
    {
        if (_dnsblQueries.Enabled)
        {
            _dnsblQueries.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Dispose() => _meter.Dispose();
}
