using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using RepSec.Core;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;
using RepSec.Server.Dnsbl;

namespace RepSec.Fuzz;

/// <summary>
/// The DNSBL's request path from arbitrary bytes: as a wire query (ARSoft.Tools.Net parses it; a packet it refuses is
/// dropped) and as a name below the zone. Invariants: answering never throws; the answer carries the query's id, is
/// a response, and is authoritative exactly for names in the zone; a name that reads as a reversed address spells
/// that address again when written reversed (repsecd's own part of the parsing: octets and nibbles).
/// </summary>
internal static class DnsblTarget
{
    private const string ZoneName = "bl.example.org";

    private static readonly DnsblZone Zone = CreateZone();

    public static void Run(ReadOnlySpan<byte> data)
    {
        DnsMessage? query = null;
        try
        {
            query = DnsMessage.Parse(new ArraySegment<byte>(data.ToArray()));
        }
        catch (Exception exception) when (exception is not InvariantViolationException)
        {
            // ARSoft refuses the packet: the server drops it, as DnsblServer does.
        }

        if (query is not null)
        {
            Check(query);
        }

        // The same bytes as a name: labels separated by dots, below the zone.
        var text = Encoding.Latin1.GetString(data).Trim('.');
        if (text.Length > 0 && text.Length < 200 && DomainName.TryParse(text + "." + ZoneName, out var name) && name is not null && name.IsSubDomainOf(Zone.Zone))
        {
            var built = new DnsMessage { TransactionID = 7, IsQuery = true };
            built.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.INet));
            Check(built);
            RoundTrip(name.Labels.AsSpan(0, name.LabelCount - Zone.Zone.LabelCount));
        }
    }

    private static void Check(DnsMessage query)
    {
        var answer = Zone.Answer(query);
        Invariant.That(answer.TransactionID == query.TransactionID, "the answer's id is not the query's");
        Invariant.That(!answer.IsQuery, "the answer is not marked as a response");
        var inZone = query.Questions.Count == 1 && query.Questions[0].Name.IsEqualOrSubDomainOf(Zone.Zone)
            && query.Questions[0].RecordClass is RecordClass.INet or RecordClass.Any && query.OperationCode == OperationCode.Query;
        Invariant.That(answer.IsAuthoritiveAnswer == inZone, $"authoritative {answer.IsAuthoritiveAnswer} for a name {(inZone ? "in" : "outside")} the zone");
        Invariant.That(inZone || answer.AnswerRecords.Count == 0, "answers for a name outside the zone");
        foreach (var record in answer.AnswerRecords.OfType<ARecord>())
        {
            Invariant.That(record.Address.GetAddressBytes()[0] == 127 && !record.Address.Equals(IPAddress.Loopback), $"an A record {record.Address} outside 127.0.0.0/8 or 127.0.0.1");
        }
    }

    private static void RoundTrip(ReadOnlySpan<string> labels)
    {
        if (DnsblZone.ReversedAddress(labels) is not { } address)
        {
            return;
        }

        // The IPv4-mapped test entries of RFC 5782 stay IPv6; other mapped addresses read as their IPv4 address.
        var bytes = labels.Length == 32 && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address.MapToIPv6().GetAddressBytes() : address.GetAddressBytes();
        var written = labels.Length == 4
            ? bytes.Reverse().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : Convert.ToHexStringLower(bytes).Reverse().Select(c => c.ToString()).ToArray();
        Invariant.That(written.AsSpan().SequenceEqual(labels.ToArray().Select(l => l.ToLowerInvariant()).ToArray()),
            $"{string.Join('.', labels.ToArray())} reads as {address}, which reads back as {string.Join('.', written)}");
    }

    private static DnsblZone CreateZone()
    {
        var store = new EmptyStore();
        var assertions = new ReputationAssertions(new ReputationOptions());
        var options = Microsoft.Extensions.Options.Options.Create(new RepSecOptions());
        var service = new ReputationService(store, assertions, options, null!, TimeProvider.System);
        var table = new ReputationTable(store);
        table.RefreshAsync().GetAwaiter().GetResult();
        return new DnsblZone(new DnsblOptions { Port = 0, Zone = ZoneName, Nameserver = "ns.example.org" }, new ReputationListing(table, service, TimeProvider.System));
    }

    /// <summary>A store with no reputation at all: the target exercises parsing and answering, not listing.</summary>
    private sealed class EmptyStore : IReputationStore
    {
        public ValueTask<IReadOnlyList<ReputationChange>> GetChangesAsync(long after, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ReputationChange>>([]);

        public ValueTask<ReportOutcome> ReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ReportOutcome> WithdrawAsync(Withdrawal withdrawal, double halfLifeDays, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ReportOutcome> SetAllowlistAsync(AllowlistChange change, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ReportOutcome> SetTrustAsync(TrustChange change, double halfLifeDays, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<SweepResult> SweepAsync(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<EntityReputation> GetAsync(CanonicalEntity entity, CancellationToken cancellationToken = default) => ValueTask.FromResult(EntityReputation.None(entity));

        public ValueTask<IReadOnlyDictionary<string, ReputationAggregate>> GetNormsAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, ReputationAggregate>>(new Dictionary<string, ReputationAggregate>());

        public ValueTask<IReadOnlyList<StoredReport>> GetReportsAsync(EntityType type, string key, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<StoredReport>>([]);

        public ValueTask<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult<StoredReport?>(null);

        public ValueTask<IReadOnlyDictionary<string, double>> GetTrustAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
    }
}
