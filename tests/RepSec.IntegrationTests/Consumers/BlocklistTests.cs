using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// The blocklist feeds over HTTPS, fetched with curl as a firewall's update script would: every format and filter,
/// conditional requests, errors, streaming of a long list over both HTTP versions, and the rbldnsd format loaded
/// into Debian's rbldnsd, which must answer what repsecd's own DNSBL answers.
/// </summary>
public sealed class BlocklistTests : IAsyncLifetime
{
    private const string Zone = "bl.example.org";

    private TestServer _server = null!;
    private string _alice = null!;
    private string _admin = null!;

    private string Url(string query = "") => $"https://127.0.0.1:{_server.RdapPort}/blocklist{query}";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Dnsbl:Port"] = "0",
            ["RepSec:Dnsbl:Zone"] = Zone,
            ["RepSec:Dnsbl:TxtUrl"] = "https://rdap.example.org/rdap/{type}/{entity}",
            ["RepSec:Reputation:TableRefreshMilliseconds"] = "50",
            ["RepSec:Rdap:RateLimits:AnonymousPerSecond"] = "1000",
            ["RepSec:Rdap:RateLimits:AnonymousBurst"] = "1000",
        });
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Addresses, prefixes of both families, domains, an allowlisted address inside a listed prefix, and entities that do not list.</summary>
    private async Task PopulateAsync()
    {
        await ReportAsync("192.0.2.7", "spam", 0.9);
        await ReportAsync("192.0.2.7", "abuse", 0.6);
        await ReportAsync("198.51.100.0/24", "malware", 0.8);
        await ReportAsync("198.51.100.9", "spam", 1);             // its own listing and its prefix's
        await ReportAsync("198.51.100.50", "spam", 1);
        await ReportAsync("2001:db8::/32", "malware", 1);
        await ReportAsync("2001:db8::1", "phishing", 0.7);
        await ReportAsync("phish.example", "phishing", 0.95);
        await ReportAsync("low.example", "spam", 0.3);             // below min-rating
        await ReportAsync("nice.example", "trustworthy", 1);       // positive: never listed
        await ReportAsync("203.0.113.5", "compromised", 0.55);
        Assert.Equal(200, (await RequestAsync(ReputationRequests.Allowlist("198.51.100.50", _admin, "add", "our relay"))).Status());
        await SettledAsync();
    }

    [Fact]
    public async Task Each_format_lists_what_the_dnsbl_lists_and_nothing_else()
    {
        await PopulateAsync();

        var plain = await Curl.GetAsync(_server.CaPath, Url());
        Assert.Equal(200, plain.Status);
        Assert.Equal("text/plain; charset=utf-8", plain.Header("content-type"));
        Assert.Equal(["192.0.2.7", "198.51.100.0/24", "198.51.100.9", "2001:db8::/32", "2001:db8::1", "203.0.113.5", "phish.example"], plain.Lines.Order(StringComparer.Ordinal));

        var csv = await Curl.GetAsync(_server.CaPath, Url("?format=csv&type=ip&family=4"));
        Assert.Equal("entity,type,assertion,rating,confidence", csv.Lines[0]);
        Assert.Equal(
            ["192.0.2.7,ip,abuse,0.6,0.5", "192.0.2.7,ip,spam,0.9,0.5", "198.51.100.0/24,ip,malware,0.8,0.5", "198.51.100.9,ip,spam,1,0.5", "203.0.113.5,ip,compromised,0.55,0.5"],
            csv.Lines.Skip(1).Order(StringComparer.Ordinal));

        var json = JsonDocument.Parse((await Curl.GetAsync(_server.CaPath, Url("?format=json&type=ip&family=6"))).Body).RootElement;
        Assert.Equal(0.5, json.GetProperty("min_rating").GetDouble());
        var entries = json.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("entity").GetString()!);
        Assert.Equal(["2001:db8::/32", "2001:db8::1"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("phishing", Assert.Single(entries["2001:db8::1"].GetProperty("listings").EnumerateArray()).GetProperty("assertion").GetString());

        // The allowlisted address inside the listed /24 is an exception where a format can carry one.
        var excepted = JsonDocument.Parse((await Curl.GetAsync(_server.CaPath, Url("?format=json&family=4"))).Body).RootElement
            .GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == "198.51.100.50");
        Assert.True(excepted.GetProperty("excepted").GetBoolean());
        var rbldnsd = (await Curl.GetAsync(_server.CaPath, Url("?format=rbldnsd&family=4"))).Lines;
        Assert.Contains("!198.51.100.50", rbldnsd);
        Assert.Contains("198.51.100.9 :127.0.0.3:malware: rating 0.8, confidence 0.5 (198.51.100.0/24) https://rdap.example.org/rdap/ip/198.51.100.0%2F24", rbldnsd);
    }

    [Fact]
    public async Task Filters_narrow_the_list_by_assertion_rating_confidence_type_and_family()
    {
        await PopulateAsync();
        Assert.Equal(["192.0.2.7", "198.51.100.9"], (await Curl.GetAsync(_server.CaPath, Url("?assertion=spam"))).Lines.Order(StringComparer.Ordinal));
        Assert.Equal(["198.51.100.0/24", "2001:db8::/32", "phish.example"],
            (await Curl.GetAsync(_server.CaPath, Url("?assertion=malware,phishing&min-rating=0.8"))).Lines.Order(StringComparer.Ordinal));
        Assert.Equal(["low.example", "phish.example"], (await Curl.GetAsync(_server.CaPath, Url("?type=domain&min-rating=0.2"))).Lines.Order(StringComparer.Ordinal));
        Assert.Empty((await Curl.GetAsync(_server.CaPath, Url("?min-confidence=0.6"))).Lines);
        Assert.Equal(["2001:db8::/32", "2001:db8::1"], (await Curl.GetAsync(_server.CaPath, Url("?family=6"))).Lines.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("?format=xml", "format is plain, csv, json or rbldnsd")]
    [InlineData("?format=rbldnsd", "an rbldnsd zone holds one kind of entry")]
    [InlineData("?format=rbldnsd&family=6", "an rbldnsd ip6trie holds one answer per entry")]
    [InlineData("?assertion=trustworthy", "'trustworthy' is not a negative assertion")]
    [InlineData("?assertion=spam&assertion=abuse", "'assertion' is given more than once")]
    [InlineData("?min-rating=2", "min-rating and min-confidence are numbers from 0 to 1")]
    [InlineData("?type=asn", "type is ip or domain")]
    [InlineData("?type=domain&family=4", "family is 4 or 6")]
    [InlineData("?since=yesterday", "unknown parameter 'since'")]
    public async Task A_bad_parameter_is_a_400_that_says_what_is_wrong(string query, string description)
    {
        var answer = await Curl.GetAsync(_server.CaPath, Url(query));
        Assert.Equal(400, answer.Status);
        var error = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Contains(description, error.GetProperty("description")[0].GetString());
    }

    [Fact]
    public async Task Conditional_requests_get_304_until_the_list_changes()
    {
        await ReportAsync("192.0.2.7", "spam", 0.9);
        await SettledAsync();
        var first = await Curl.GetAsync(_server.CaPath, Url(), http1: true);
        var etag = first.Header("etag")!;
        var lastModified = first.Header("last-modified")!;
        Assert.StartsWith("W/\"", etag);
        Assert.Equal("no-cache", first.Header("cache-control"));

        Assert.Equal(304, (await Curl.GetAsync(_server.CaPath, Url(), http1: true, "-H", $"If-None-Match: {etag}")).Status);
        Assert.Equal(304, (await Curl.GetAsync(_server.CaPath, Url(), http1: false, "-H", $"If-None-Match: {etag}")).Status);
        Assert.Equal(304, (await Curl.GetAsync(_server.CaPath, Url(), http1: true, "-H", $"If-Modified-Since: {lastModified}")).Status);
        // Another request's parameters are another list with its own tag.
        Assert.Equal(200, (await Curl.GetAsync(_server.CaPath, Url("?format=csv"), http1: true, "-H", $"If-None-Match: {etag}")).Status);

        await ReportAsync("192.0.2.8", "spam", 0.9);
        await SettledAsync();
        var changed = await Curl.GetAsync(_server.CaPath, Url(), http1: true, "-H", $"If-None-Match: {etag}");
        Assert.Equal(200, changed.Status);
        Assert.NotEqual(etag, changed.Header("etag"));
        Assert.Equal(["192.0.2.7", "192.0.2.8"], changed.Lines.Order(StringComparer.Ordinal));

        // A change that leaves the list as it was keeps its tag: the tag follows the content.
        await ReportAsync("low.example", "spam", 0.1);
        await SettledAsync();
        Assert.Equal(304, (await Curl.GetAsync(_server.CaPath, Url(), http1: true, "-H", $"If-None-Match: {changed.Header("etag")}")).Status);
    }

    [Fact]
    public async Task A_long_list_streams_complete_over_http1_in_chunks_and_over_http2()
    {
        // Straight into the store (the feed carries them to the table as it carries any report): 5,000 addresses.
        var store = _server.Host.Services.GetRequiredService<IReputationStore>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5000; i++)
        {
            var address = $"10.{i / 250}.{i % 250}.1";
            var draft = ReportDraft.Create(new CanonicalEntity(EntityType.Ip, address, address), "alice", "spam", 0.9, 1, [], null, now, now.AddDays(30), TimeSpan.Zero);
            Assert.Equal(ReportStatus.Done, (await store.ReportAsync(draft, 1, 30)).Status);
        }

        await SettledAsync();
        var http1 = await Curl.GetAsync(_server.CaPath, Url(), http1: true);
        Assert.Equal("chunked", http1.Header("transfer-encoding"));
        Assert.Null(http1.Header("content-length"));
        Assert.Equal(5000, http1.Lines.Distinct().Count());
        var http2 = await Curl.GetAsync(_server.CaPath, Url());
        Assert.Equal(http1.Lines.Order(StringComparer.Ordinal), http2.Lines.Order(StringComparer.Ordinal));
        // HEAD: the same head, no body.
        var head = await Curl.GetAsync(_server.CaPath, Url(), http1: true, "-I");
        Assert.Equal(http1.Header("etag"), head.Header("etag"));
        Assert.Empty(head.Body.Split("\r\n\r\n", 2).ElementAtOrDefault(1) ?? "");
    }

    [Fact]
    public async Task With_anonymous_access_off_a_reader_needs_credentials()
    {
        await using var closed = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:Blocklist:AllowAnonymous"] = "false" });
        var token = await closed.IssueTokenAsync("firewall", Role.Auditor);
        var url = $"https://127.0.0.1:{closed.RdapPort}/blocklist";
        Assert.Equal(401, (await Curl.GetAsync(closed.CaPath, url)).Status);
        var allowed = await Curl.GetAsync(closed.CaPath, url, false, "-H", $"Authorization: Bearer {token}");
        Assert.Equal(200, allowed.Status);
        Assert.Equal("private, no-cache", allowed.Header("cache-control"));
    }

    [Fact]
    public async Task Rbldnsd_loads_the_export_unchanged_and_answers_what_repsecds_dnsbl_answers()
    {
        await PopulateAsync();
        var directory = Directory.CreateTempSubdirectory("repsec-rbldnsd-").FullName;
        // rbldnsd started by root reads its zones as its own user (rbldns).
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("rbldnsd is a Unix program");
        }

        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        // IPv6 one assertion per dataset (an ip6trie keeps one answer per entry); rbldnsd answers from every dataset of the zone.
        string[] negative = ["spam", "malware", "phishing", "abuse", "compromised"];
        var exports = negative.Select(a => ($"ip6-{a}.zone", $"?format=rbldnsd&family=6&assertion={a}"))
            .Append(("ip4.zone", "?format=rbldnsd&family=4")).Append(("domains.zone", "?format=rbldnsd&type=domain")).ToList();
        foreach (var (file, query) in exports)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, file), (await Curl.GetAsync(_server.CaPath, Url(query))).Body);
            File.SetUnixFileMode(Path.Combine(directory, file), (UnixFileMode)0b110_100_100);
        }

        var port = FreeUdpPort();
        using var rbldnsd = StartRbldnsd(directory, port,
            [$"{Zone}:ip4set:ip4.zone", $"{Zone}:dnset:domains.zone", .. negative.Select(a => $"{Zone}:ip6trie:ip6-{a}.zone")]);
        string[] sample =
        [
            "7.2.0.192", "9.100.51.198", "10.100.51.198", "50.100.51.198", "5.113.0.203", "6.113.0.203", "1.1.1.1",
            Listings.Nibbles("2001:db8::1"), Listings.Nibbles("2001:db8::2"), Listings.Nibbles("2001:db9::1"),
            "phish.example", "low.example", "nice.example", "www.phish.example",
        ];
        foreach (var name in sample)
        {
            foreach (var type in new[] { "A", "TXT" })
            {
                var ours = await Dig.QueryAsync(_server.Host.DnsblPort, $"{name}.{Zone}", type);
                var theirs = await Dig.QueryAsync(port, $"{name}.{Zone}", type);
                Assert.True(theirs.Status != "NO_ANSWER", $"rbldnsd did not answer: {theirs.Raw}");
                Assert.Equal(ours.Status, theirs.Status);
                Assert.Equal(ours.Data(type).Order(StringComparer.Ordinal), theirs.Data(type).Order(StringComparer.Ordinal));
            }
        }

        // And the sample is not trivially empty: both list the address with its own and its prefix's assertions.
        Assert.Equal(["127.0.0.2", "127.0.0.3"], (await Dig.QueryAsync(port, $"9.100.51.198.{Zone}")).Data("A").Order());
    }

    private static ChildProcess StartRbldnsd(string directory, int port, string[] zones)
    {
        var process = Tool.Start("rbldnsd", ["-n", "-b", $"127.0.0.1/{port}", "-w", directory, .. zones], "rbldnsd");

        // It answers once it has loaded every zone; the SOA-less zone REFUSEs the apex, any answer means it is up.
        for (var i = 0; i < 100; i++)
        {
            if (Dig.QueryAsync(port, "2.0.0.127." + Zone).GetAwaiter().GetResult().Status != "NO_ANSWER")
            {
                return new ChildProcess(process);
            }

            Thread.Sleep(50);
        }

        process.Kill();
        throw new InvalidOperationException($"rbldnsd did not start: {process.StandardError.ReadToEnd()}");
    }

    private async Task ReportAsync(string entity, string assertion, double rating)
    {
        var answer = await RequestAsync(ReputationRequests.Report(entity, _alice, assertion, rating, null, null));
        Assert.Equal(200, answer.Status());
    }

    private async Task<JsonElement> RequestAsync(string line)
    {
        await using var wire = await _server.ConnectAsync();
        return await wire.RequestAsync(line);
    }

    private Task SettledAsync() => Listings.SettledAsync(_server);


    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
