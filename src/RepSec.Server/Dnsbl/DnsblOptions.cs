using System.Net;

namespace RepSec.Server.Dnsbl;

/// <summary>
/// The DNSBL (RFC 5782), <c>RepSec:Dnsbl</c>: off unless <see cref="Port"/> is set. docs/consumers.md describes every
/// setting; contrib/appsettings.json lists their defaults.
/// </summary>
public sealed record DnsblOptions
{
    /// <summary>UDP and TCP port on the <c>--listen</c> addresses; unset: no DNSBL. 0 picks a free port.</summary>
    public int? Port { get; init; }

    /// <summary>The zone served (<c>bl.example.org</c>): addresses and domains are looked up below it.</summary>
    public string? Zone { get; init; }

    /// <summary>A negative assertion lists an entity when its reputon has at least this rating...</summary>
    public double MinRating { get; init; } = 0.5;

    /// <summary>...and at least this confidence (one fresh report of confidence 1 by a fully trusted reporter gives 0.5).</summary>
    public double MinConfidence { get; init; } = 0.5;

    /// <summary>The A record answered for each assertion; an assertion not named here answers <see cref="DefaultCode"/>.</summary>
    public Dictionary<string, string> Codes { get; init; } = new(StringComparer.Ordinal)
    {
        ["spam"] = "127.0.0.2",
        ["malware"] = "127.0.0.3",
        ["phishing"] = "127.0.0.4",
        ["abuse"] = "127.0.0.5",
        ["compromised"] = "127.0.0.6",
    };

    public string DefaultCode { get; init; } = "127.0.0.10";

    /// <summary>
    /// Added to each TXT answer, with <c>{type}</c> (<c>ip</c> or <c>domain</c>) and <c>{entity}</c> (the listed
    /// address, prefix or name) filled in: where a listed party reads why (<c>https://rdap.example.org/rdap/{type}/{entity}</c>). Unset: no URL.
    /// </summary>
    public string? TxtUrl { get; init; }

    /// <summary>Time to live of listed answers, seconds.</summary>
    public int Ttl { get; init; } = 300;

    /// <summary>Time to live of "not listed" (the SOA's minimum, RFC 2308), seconds.</summary>
    public int NegativeTtl { get; init; } = 60;

    /// <summary>The zone's name server (NS and the SOA's MNAME): the name resolvers reach this server by.</summary>
    public string? Nameserver { get; init; }

    /// <summary>The SOA's RNAME; default <c>hostmaster.ZONE</c>.</summary>
    public string? Hostmaster { get; init; }

    /// <summary>Queries answered per second per source address (beyond <see cref="Burst"/>, further queries are dropped); 0: no limit.</summary>
    public int PerSecond { get; init; } = 1000;

    public int Burst { get; init; } = 2000;

    /// <summary>
    /// UDP answers kept for repeated queries (DnsAnswerCache; dropped whenever the reputation table or the minute
    /// changes); 0: none. An entry takes about 300 bytes.
    /// </summary>
    public int AnswerCacheEntries { get; init; } = 250_000;

    /// <summary>Seconds a TCP client may stay idle between queries.</summary>
    public int TcpIdleSeconds { get; init; } = 10;

    /// <summary>The A record answered for <paramref name="assertion"/>.</summary>
    public string CodeFor(string assertion) => Codes.GetValueOrDefault(assertion) ?? DefaultCode;

    /// <summary>
    /// The TXT answer for one listing: the assertion, the reputon's rating and confidence, the row that lists it
    /// (the entity, or the prefix covering it) and, when configured, <see cref="TxtUrl"/>. The rbldnsd export writes the same text.
    /// </summary>
    public string Text(RepSec.Core.Reputation.Listing listing)
    {
        var source = listing.Source;
        var text = FormattableString.Invariant($"{listing.Assertion}: rating {listing.Rating}, confidence {listing.Confidence} ({source.Value})");
        return TxtUrl is { } url
            ? text + " " + url.Replace("{type}", RepSec.Protocol.Entities.EntityTypes.ToWire(source.Type), StringComparison.Ordinal)
                .Replace("{entity}", Uri.EscapeDataString(source.Value), StringComparison.Ordinal)
            : text;
    }

    public IEnumerable<string> Validate()
    {
        if (Port is < 0 or > 65_535)
        {
            yield return "RepSec:Dnsbl:Port must be 0-65535";
        }

        if (Port is not null && Zone is null)
        {
            yield return "--dnsbl-port needs --dnsbl-zone (RepSec:Dnsbl:Zone): the zone to answer for, such as bl.example.org";
        }
        else if (Zone is not null && (!ARSoft.Tools.Net.DomainName.TryParse(Zone, out var zone) || zone is null || zone.LabelCount == 0))
        {
            yield return $"RepSec:Dnsbl:Zone '{Zone}' is not a domain name";
        }

        if (MinRating is < 0 or > 1 || MinConfidence is < 0 or > 1)
        {
            yield return "RepSec:Dnsbl:MinRating and MinConfidence must be 0-1";
        }

        foreach (var (assertion, code) in Codes.Append(new("(default)", DefaultCode)))
        {
            // RFC 5782 section 2.1: answers in 127.0.0.0/8, never 127.0.0.1.
            if (!IPAddress.TryParse(code, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                || address.GetAddressBytes()[0] != 127 || address.Equals(IPAddress.Loopback))
            {
                yield return $"RepSec:Dnsbl:Codes: '{code}' for {assertion} must be an address in 127.0.0.0/8 other than 127.0.0.1";
            }
        }

        if (Ttl < 0 || NegativeTtl < 0 || PerSecond < 0 || Burst < 1 || TcpIdleSeconds < 1 || AnswerCacheEntries < 0)
        {
            yield return "RepSec:Dnsbl: Ttl, NegativeTtl, PerSecond and AnswerCacheEntries must not be negative; Burst and TcpIdleSeconds must be positive";
        }
    }
}
