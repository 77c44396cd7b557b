using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// The DNSBL (RFC 5782) as a mail server's resolver sees it, asked with Debian's <c>dig</c> over UDP and TCP: listed
/// addresses, prefixes, IPv6 and domains; the test entries; SOA, NS, NXDOMAIN and NODATA; thresholds, allowlist and
/// withdrawal; hostile packets and the per-source rate limit.
/// </summary>
public sealed class DnsblTests : IAsyncLifetime
{
    private const string Zone = "bl.example.org";

    private TestServer _server = null!;
    private string _alice = null!;
    private string _admin = null!;

    private int Port => _server.Host.DnsblPort;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Dnsbl:Port"] = "0",
            ["RepSec:Dnsbl:Zone"] = Zone,
            ["RepSec:Dnsbl:Nameserver"] = "ns1.example.org",
            ["RepSec:Dnsbl:TxtUrl"] = "https://rdap.example.org/rdap/{type}/{entity}",
            ["RepSec:Reputation:TableRefreshMilliseconds"] = "50",
        });
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_reported_address_answers_its_assertions_code_and_a_txt_reason_over_udp_and_tcp()
    {
        await ReportAsync("192.0.2.7", "spam", 0.9);
        await ReportAsync("192.0.2.7", "malware", 0.8);
        await SettledAsync();

        foreach (var tcp in new[] { false, true })
        {
            var a = await Dig.QueryAsync(Port, "7.2.0.192." + Zone, "A", tcp);
            Assert.Equal("NOERROR", a.Status);
            Assert.Contains("aa", a.Flags);
            Assert.Equal(["127.0.0.2", "127.0.0.3"], a.Data("A").Order());
            var txt = await Dig.QueryAsync(Port, "7.2.0.192." + Zone, "TXT", tcp);
            Assert.Equal(
                ["\"malware: rating 0.8, confidence 0.5 (192.0.2.7) https://rdap.example.org/rdap/ip/192.0.2.7\"",
                 "\"spam: rating 0.9, confidence 0.5 (192.0.2.7) https://rdap.example.org/rdap/ip/192.0.2.7\""],
                txt.Data("TXT").Order());
        }
    }

    [Fact]
    public async Task An_address_inside_a_reported_prefix_is_listed_and_the_prefix_is_named()
    {
        await ReportAsync("198.51.100.0/24", "abuse", 0.7);
        await ReportAsync("2001:db8::/32", "malware", 1);
        await SettledAsync();

        var v4 = await Dig.QueryAsync(Port, "9.100.51.198." + Zone, "TXT");
        Assert.Equal("\"abuse: rating 0.7, confidence 0.5 (198.51.100.0/24) https://rdap.example.org/rdap/ip/198.51.100.0%2F24\"", Assert.Single(v4.Data("TXT")));
        Assert.Equal("127.0.0.5", Assert.Single((await Dig.QueryAsync(Port, "9.100.51.198." + Zone)).Data("A")));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, "9.101.51.198." + Zone)).Status);

        var v6 = await Dig.QueryAsync(Port, Listings.Nibbles("2001:db8::1") + "." + Zone);
        Assert.Equal("127.0.0.3", Assert.Single(v6.Data("A")));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, Listings.Nibbles("2001:db9::1") + "." + Zone)).Status);
    }

    [Fact]
    public async Task A_reported_domain_is_listed_on_the_rhsbl_and_names_are_case_insensitive()
    {
        await ReportAsync("phish.example", "phishing", 0.95);
        await SettledAsync();

        Assert.Equal("127.0.0.4", Assert.Single((await Dig.QueryAsync(Port, "Phish.Example." + Zone)).Data("A")));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, "fine.example." + Zone)).Status);
    }

    [Fact]
    public async Task The_rfc_5782_test_entries_answer_as_required()
    {
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "2.0.0.127." + Zone)).Data("A")));
        Assert.NotEmpty((await Dig.QueryAsync(Port, "2.0.0.127." + Zone, "TXT")).Data("TXT"));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, "1.0.0.127." + Zone)).Status);
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, Listings.Nibbles("::ffff:7f00:2") + "." + Zone)).Data("A")));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, Listings.Nibbles("::ffff:7f00:1") + "." + Zone)).Status);
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "test." + Zone)).Data("A")));
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, "invalid." + Zone)).Status);
    }

    [Fact]
    public async Task The_apex_has_soa_and_ns_unlisted_names_are_nxdomain_with_the_soa_and_other_types_are_nodata()
    {
        var soa = await Dig.QueryAsync(Port, Zone, "SOA");
        var (_, _, data) = Assert.Single(soa.Answer);
        Assert.StartsWith("ns1.example.org. hostmaster.bl.example.org. ", data);
        Assert.Equal("ns1.example.org.", Assert.Single((await Dig.QueryAsync(Port, Zone, "NS")).Data("NS")));

        var missing = await Dig.QueryAsync(Port, "8.2.0.192." + Zone);
        Assert.Equal("NXDOMAIN", missing.Status);
        Assert.Contains("aa", missing.Flags);
        Assert.Equal((Zone, "SOA"), Assert.Single(missing.Authority) is var (name, type, _) ? (name, type) : default);
        // RFC 2308: the SOA's minimum (and its own TTL) is how long a resolver may remember "not listed".
        Assert.EndsWith(" 60", Assert.Single(missing.Authority).Data);

        await ReportAsync("192.0.2.8", "spam", 1);
        await SettledAsync();
        var aaaa = await Dig.QueryAsync(Port, "8.2.0.192." + Zone, "AAAA");
        Assert.Equal("NOERROR", aaaa.Status);
        Assert.Empty(aaaa.Answer);
        Assert.Equal("SOA", Assert.Single(aaaa.Authority).Type);

        Assert.Equal("REFUSED", (await Dig.QueryAsync(Port, "www.example.com", "A")).Status);
    }

    [Fact]
    public async Task Thresholds_positive_assertions_the_allowlist_and_a_withdrawal_all_keep_an_entity_off_the_list()
    {
        await ReportAsync("192.0.2.20", "spam", 0.4);                      // rating below 0.5
        await ReportAsync("192.0.2.21", "spam", 0.9, confidence: 0.5);     // confidence 1/3
        await ReportAsync("192.0.2.22", "trustworthy", 1);                 // positive
        await ReportAsync("192.0.2.23", "spam", 1);
        await ReportAsync("203.0.113.9", "spam", 1);
        var withdrawn = await ReportAsync("192.0.2.24", "spam", 1);
        await SettledAsync();
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "23.2.0.192." + Zone)).Data("A")));
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "9.113.0.203." + Zone)).Data("A")));
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "24.2.0.192." + Zone)).Data("A")));

        Assert.Equal(200, (await RequestAsync(ReputationRequests.Allowlist("192.0.2.23", _admin, "add", "a customer"))).Status());
        Assert.Equal(200, (await RequestAsync(ReputationRequests.Allowlist("203.0.113.0/24", _admin, "add", "a customer's network"))).Status());
        Assert.Equal(200, (await RequestAsync(ReputationRequests.Withdraw(withdrawn.GetProperty("report_id").GetInt64(), _alice))).Status());
        await SettledAsync();

        foreach (var name in new[] { "20.2.0.192", "21.2.0.192", "22.2.0.192", "23.2.0.192", "9.113.0.203", "24.2.0.192" })
        {
            Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, name + "." + Zone)).Status);
        }
    }

    [Fact]
    public async Task A_repeated_query_is_answered_from_the_cache_with_its_own_id_until_the_table_changes()
    {
        var name = "77.2.0.192." + Zone;
        // dig drops an answer whose id is not its query's: a second answer arriving at all is an answer with the right id.
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, name)).Status);
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, name)).Status);
        Assert.Equal("NXDOMAIN", (await Dig.QueryAsync(Port, name)).Status);

        await ReportAsync("192.0.2.77", "phishing", 1);
        await SettledAsync();
        Assert.Equal("127.0.0.4", Assert.Single((await Dig.QueryAsync(Port, name)).Data("A")));
        Assert.Equal("127.0.0.4", Assert.Single((await Dig.QueryAsync(Port, name)).Data("A")));

        // The same name asked over another transport or for another type is another query.
        Assert.NotEmpty((await Dig.QueryAsync(Port, name, "TXT")).Data("TXT"));
        Assert.Equal("127.0.0.4", Assert.Single((await Dig.QueryAsync(Port, name, tcp: true)).Data("A")));
    }

    [Fact]
    public async Task Hostile_packets_are_dropped_or_refused_and_the_server_keeps_answering()
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, Port);
        byte[][] hostile =
        [
            [],
            [1, 2, 3],
            [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a'],                          // question cut short
            [0x12, 0x35, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1],                 // a name pointing at itself
            [0x12, 0x36, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0],               // counts far past the packet
            Enumerable.Repeat((byte)0xFF, 4000).ToArray(),
        ];
        foreach (var packet in hostile)
        {
            await udp.SendAsync(packet);
        }

        // Two questions in one query: FORMERR (a DNSBL answers one name at a time).
        var twice = Query("2.0.0.127." + Zone);
        twice[5] = 2;
        await udp.SendAsync(twice.Concat(twice.Skip(12)).ToArray());
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var reply = (await udp.ReceiveAsync(wait.Token)).Buffer;
        Assert.Equal((0xAB, 0xCD), (reply[0], reply[1]));
        Assert.Equal(1, reply[3] & 0x0F);

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(new byte[] { 0xFF, 0xFF, 1, 2, 3 });                                 // says 65535 bytes, sends 3, goes quiet
        }

        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "2.0.0.127." + Zone)).Data("A")));
        Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(Port, "2.0.0.127." + Zone, tcp: true)).Data("A")));
    }

    [Fact]
    public async Task A_source_over_its_rate_is_dropped_and_others_are_still_answered()
    {
        await using var limited = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Dnsbl:Port"] = "0",
            ["RepSec:Dnsbl:Zone"] = Zone,
            ["RepSec:Dnsbl:PerSecond"] = "5",
            ["RepSec:Dnsbl:Burst"] = "5",
        });
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, limited.Host.DnsblPort);
        var query = Query("2.0.0.127." + Zone);
        for (var i = 0; i < 50; i++)
        {
            await udp.SendAsync(query);
        }

        var answered = 0;
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                await udp.ReceiveAsync(quiet.Token);
                answered++;
            }
        }
        catch (OperationCanceledException)
        {
        }

        // Five from the burst, and perhaps a token or two refilled while the fifty went out.
        Assert.InRange(answered, 5, 10);
        // Another source (the IPv6 loopback is another address) is not held back by the first one's bucket.
        if (Socket.OSSupportsIPv6)
        {
            await using var limitedV6 = await TestServer.StartAsync(new Dictionary<string, string?>
            {
                ["RepSec:Listen"] = "::1",
                ["RepSec:Dnsbl:Port"] = "0",
                ["RepSec:Dnsbl:Zone"] = Zone,
            });
            Assert.Equal("127.0.0.2", Assert.Single((await Dig.QueryAsync(limitedV6.Host.DnsblPort, "2.0.0.127." + Zone, server: "::1")).Data("A")));
        }
    }

    [Fact]
    public async Task The_dnsbl_is_off_without_a_port_and_a_port_without_a_zone_is_a_configuration_error()
    {
        Assert.NotEqual(0, _server.Host.DnsblPort);
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RepSec.Server.Hosting.RepSecHost.Create(new Dictionary<string, string?>
            {
                ["RepSec:DataDirectory"] = Path.Combine(_server.DataDirectory, "other"),
                ["RepSec:Dnsbl:Port"] = "0",
            }));
        Assert.Contains("--dnsbl-port needs --dnsbl-zone", string.Join(" ", error.Failures));
        await using var plain = await TestServer.StartAsync();
        Assert.Equal(0, plain.Host.DnsblPort);
    }

    private async Task<JsonElement> ReportAsync(string entity, string assertion, double rating, double? confidence = null)
    {
        var answer = await RequestAsync(ReputationRequests.Report(entity, _alice, assertion, rating, confidence, null));
        Assert.Equal(200, answer.Status());
        return answer;
    }

    private async Task<JsonElement> RequestAsync(string line)
    {
        await using var wire = await _server.ConnectAsync();
        return await wire.RequestAsync(line);
    }

    private Task SettledAsync() => Listings.SettledAsync(_server);


    /// <summary>A plain A query for <paramref name="name"/>, in wire form.</summary>
    private static byte[] Query(string name)
    {
        var bytes = new List<byte> { 0xAB, 0xCD, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange(new byte[] { 0, 0, 1, 0, 1 });
        return [.. bytes];
    }
}
