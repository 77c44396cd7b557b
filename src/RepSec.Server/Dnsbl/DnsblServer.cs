using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ARSoft.Tools.Net.Dns;
using RepSec.Core;
using RepSec.Core.Limits;
using RepSec.Core.Reputation;

namespace RepSec.Server.Dnsbl;

/// <summary>
/// Serves the DNSBL zone (<see cref="DnsblZone"/>) over UDP and TCP on the <c>--listen</c> addresses, through
/// ARSoft.Tools.Net's <see cref="DnsServer"/>: it parses each query (a packet it cannot parse gets FORMERR when its
/// header can be read, and is dropped otherwise) and encodes the answer, truncating UDP answers as RFC 1035 asks.
/// Each source address has its own token bucket; queries beyond it are dropped unanswered, as DNS servers do.
/// </summary>
internal sealed partial class DnsblServer(
    DnsblOptions options, ServerOptions server, DnsblZone zone, ReputationListing listing, RepSecMetrics metrics, ILogger<DnsblServer> logger) : IHostedService, IDisposable
{
    private readonly DnsAnswerCache? _cache = options.AnswerCacheEntries <= 0 ? null
        : new DnsAnswerCache(() => (listing.Table.Version, listing.AsOf()), options.AnswerCacheEntries);

    private readonly List<DnsServer> _servers = [];
    private readonly List<IServerTransport> _transports = [];
    private readonly PartitionedRateLimiter<IPAddress>? _buckets = options.PerSecond <= 0 ? null
        : PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => TokenBuckets.Bucket(options.PerSecond, options.Burst)));

    /// <summary>The bound UDP (and TCP) endpoints.</summary>
    public List<IPEndPoint> EndPoints { get; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var address in Hosting.RepSecHost.Addresses(server.Listen, options.Port!.Value))
        {
            var (udp, tcp) = BindBoth(address);
            var dns = new DnsServer(udp, tcp);
            dns.QueryReceived += (_, e) =>
            {
                if (e.Query is DnsMessage query)
                {
                    var response = zone.Answer(query);
                    e.Response = response;
                    metrics.DnsblQuery(e.TransportProtocol == TransportProtocol.Udp ? "udp" : "tcp", Outcome(query, response));
                }

                return Task.CompletedTask;
            };
            dns.ExceptionThrown += (_, e) =>
            {
                LogQueryFailed(logger, e.Exception);
                return Task.CompletedTask;
            };
            dns.Start();
            _servers.Add(dns);
            _transports.Add(udp);
            _transports.Add(tcp);
            EndPoints.Add(udp.LocalEndPoint);
        }

        LogListening(logger, zone.Zone.ToString(), string.Join(", ", EndPoints));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var dns in _servers)
        {
            dns.Stop();
        }

        foreach (var transport in _transports)
        {
            transport.Close();
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _buckets?.Dispose();

    private string Outcome(DnsMessage query, DnsMessage response) => response.ReturnCode switch
    {
        ReturnCode.NoError when response.AnswerRecords.Count > 0 && !query.Questions[0].Name.Equals(zone.Zone) => "listed",
        ReturnCode.NoError or ReturnCode.NxDomain => "not_listed",
        ReturnCode.Refused or ReturnCode.NotImplemented => "refused",
        _ => "error",
    };

    /// <summary>UDP and TCP on the same port; with port 0, a port free for both (tried a few times).</summary>
    private (DnsUdpTransport Udp, DnsTcpTransport Tcp) BindBoth(IPEndPoint address)
    {
        var idle = TimeSpan.FromSeconds(options.TcpIdleSeconds);
        for (var attempt = 0; ; attempt++)
        {
            var udp = DnsUdpTransport.Bind(address, Admit, Dropped, _cache, Cached);
            try
            {
                return (udp, DnsTcpTransport.Bind(new IPEndPoint(address.Address, udp.LocalEndPoint.Port), Admit, Dropped, idle));
            }
            catch (SocketException) when (address.Port == 0 && attempt < 10)
            {
                // The port UDP got is taken for TCP: try another.
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    private bool Admit(IPAddress address) => _buckets is null || TokenBuckets.TryAcquire(_buckets, address) is null;

    private void Dropped() => metrics.DnsblQuery("any", "dropped");

    // An answer from the cache, counted by what it says: RCODE in the fourth byte's low bits, ANCOUNT in bytes 6-7.
    private void Cached(ReadOnlySpan<byte> answer) =>
        metrics.DnsblQuery("udp", (answer[3] & 0x0F) == 0 && (answer[6] | answer[7]) != 0 ? "listed" : "not_listed");

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "DNSBL for {Zone} on {Endpoints} (UDP and TCP)")]
    private static partial void LogListening(ILogger logger, string zone, string endpoints);

    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "DNSBL query failed")]
    private static partial void LogQueryFailed(ILogger logger, Exception exception);
}
