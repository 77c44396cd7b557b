using System.Globalization;
using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Dnsbl;

/// <summary>
/// The answers of the DNSBL zone (RFC 5782): reversed IPv4 octets and IPv6 nibbles below the zone look up addresses
/// (section 2.1, 2.4), any other name a domain (section 2.2). A listed entity has one A record per assertion it is
/// listed for (<see cref="DnsblOptions.Codes"/>) and one TXT record each; an unlisted name is NXDOMAIN with the SOA
/// for negative caching; the apex has SOA and NS. The test entries of section 5 answer as the RFC requires.
/// </summary>
internal sealed class DnsblZone
{
    private const string TestReason = "RFC 5782 test entry";

    private readonly DnsblOptions _options;
    private readonly ReputationListing _listing;
    private readonly ListingThresholds _thresholds;
    private readonly DomainName _zone;
    private readonly DomainName _nameserver;
    private readonly DomainName _hostmaster;
    private readonly Dictionary<string, IPAddress> _codes;
    private readonly IPAddress _defaultCode;

    public DnsblZone(DnsblOptions options, ReputationListing listing)
    {
        _options = options;
        _listing = listing;
        _thresholds = new ListingThresholds(options.MinRating, options.MinConfidence);
        _zone = DomainName.Parse(options.Zone ?? throw new InvalidOperationException("RepSec:Dnsbl:Zone is not set"));
        _nameserver = DomainName.Parse(options.Nameserver ?? Dns.GetHostName());
        _hostmaster = DomainName.Parse(options.Hostmaster ?? "hostmaster." + options.Zone);
        _codes = options.Codes.ToDictionary(c => c.Key, c => IPAddress.Parse(c.Value), StringComparer.Ordinal);
        _defaultCode = IPAddress.Parse(options.DefaultCode);
    }

    public DomainName Zone => _zone;

    /// <summary>The response to <paramref name="query"/> (never null: refusals and errors are responses too).</summary>
    public DnsMessage Answer(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return response;
        }

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any) || !question.Name.IsEqualOrSubDomainOf(_zone))
        {
            // Not ours: an authoritative-only server refuses rather than recursing.
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        response.IsAuthoritiveAnswer = true;
        var type = question.RecordType;
        if (question.Name.Equals(_zone))
        {
            if (type is RecordType.Soa or RecordType.Any)
            {
                response.AnswerRecords.Add(Soa());
            }

            if (type is RecordType.Ns or RecordType.Any)
            {
                response.AnswerRecords.Add(new NsRecord(_zone, _options.Ttl, _nameserver));
            }

            if (response.AnswerRecords.Count == 0)
            {
                response.AuthorityRecords.Add(Soa());
            }

            return response;
        }

        if (!_listing.Table.Loaded)
        {
            // Not read to the end of the feed yet: "not listed" could be wrong, so say nothing definite.
            response.ReturnCode = ReturnCode.ServerFailure;
            return response;
        }

        var listings = Lookup(question.Name);
        if (listings.Count == 0)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            response.AuthorityRecords.Add(Soa());
            return response;
        }

        foreach (var (assertion, text) in listings)
        {
            if (type is RecordType.A or RecordType.Any)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, _options.Ttl, assertion is null ? IPAddress.Parse("127.0.0.2") : Code(assertion)));
            }

            if (type is RecordType.Txt or RecordType.Any)
            {
                response.AnswerRecords.Add(new TxtRecord(question.Name, _options.Ttl, Chunks(text)));
            }
        }

        if (response.AnswerRecords.Count == 0)
        {
            // The name exists (it is listed) but has no records of the type asked: NODATA.
            response.AuthorityRecords.Add(Soa());
        }

        return response;
    }

    /// <summary>
    /// What the name below the zone is listed for: (assertion, TXT text) pairs, the assertion null for the test
    /// entry; empty when not listed or not a name this zone could list.
    /// </summary>
    public IReadOnlyList<(string? Assertion, string Text)> Lookup(DomainName name)
    {
        var labels = name.Labels.AsSpan(0, name.LabelCount - _zone.LabelCount);
        if (ReversedAddress(labels) is { } address)
        {
            if (IsTestEntry(address, listed: true))
            {
                return [(null, TestReason)];
            }

            if (IsTestEntry(address, listed: false))
            {
                return [];
            }

            return Describe(_listing.Judge(address, _thresholds));
        }

        var domain = string.Join('.', labels.ToArray());
        if (string.Equals(domain, "test", StringComparison.OrdinalIgnoreCase))
        {
            return [(null, TestReason)];
        }

        return EntityCanonicalizer.TryCanonicalize(EntityType.Domain, domain, out var entity, out _)
            ? Describe(_listing.Judge(EntityType.Domain, entity.Key, _thresholds))
            : [];
    }

    /// <summary>
    /// The address a reversed name spells: four decimal octets (RFC 5782 section 2.1) or 32 hexadecimal nibbles
    /// (section 2.4), least significant first; null for anything else.
    /// </summary>
    public static IPAddress? ReversedAddress(ReadOnlySpan<string> labels)
    {
        if (labels.Length == 4)
        {
            Span<byte> octets = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                var label = labels[3 - i];
                if (label.Length is 0 or > 3 || (label.Length > 1 && label[0] == '0') || !label.All(char.IsAsciiDigit)
                    || !byte.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out octets[i]))
                {
                    return null;
                }
            }

            return new IPAddress(octets);
        }

        if (labels.Length == 32)
        {
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < 32; i++)
            {
                var label = labels[31 - i];
                if (label.Length != 1 || !char.IsAsciiHexDigit(label[0]))
                {
                    return null;
                }

                var nibble = (byte)Convert.ToInt32(label, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
            }

            var address = new IPAddress(bytes);
            return address.IsIPv4MappedToIPv6 && !IsTestEntry(address, listed: true) && !IsTestEntry(address, listed: false) ? address.MapToIPv4() : address;
        }

        return null;
    }

    // RFC 5782 section 5: 127.0.0.2 and ::FFFF:7F00:2 are listed; 127.0.0.1 and ::FFFF:7F00:1 are not.
    private static bool IsTestEntry(IPAddress address, bool listed)
    {
        var last = listed ? (byte)2 : (byte)1;
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? bytes is [127, 0, 0, var b] && b == last
            : address.IsIPv4MappedToIPv6 && address.MapToIPv4().GetAddressBytes() is [127, 0, 0, var m] && m == last;
    }

    private List<(string? Assertion, string Text)> Describe(IReadOnlyList<Listing> listings) =>
        [.. listings.Select(listing => ((string?)listing.Assertion, _options.Text(listing)))];

    private IPAddress Code(string assertion) => _codes.GetValueOrDefault(assertion) ?? _defaultCode;

    private SoaRecord Soa() =>
        new(_zone, _options.NegativeTtl, _nameserver, _hostmaster, (uint)_listing.Table.Version, 3600, 600, 604800, _options.NegativeTtl);

    // A TXT record's strings hold at most 255 bytes each (RFC 1035 section 3.3).
    private static IEnumerable<string> Chunks(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += 255)
        {
            yield return Encoding.UTF8.GetString(bytes, offset, Math.Min(255, bytes.Length - offset));
        }
    }
}
