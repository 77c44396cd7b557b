using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;
using RepSec.Testing.Federation;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// Debian's crowdsec-firewall-bouncer, unchanged, in nftables mode, pointed at repsecd's decisions API: inside a
/// network namespace this test creates (a veth pair to reach repsecd), so its nftables sets are the namespace's own.
/// The sets must hold exactly the listed addresses, and an address leaves them when its report is withdrawn or it is
/// allowlisted.
/// </summary>
public sealed class CrowdSecBouncerTests
{
    [SkippableFact]
    public async Task The_stock_bouncer_bans_exactly_the_listed_addresses_and_lifts_withdrawn_and_allowlisted_ones()
    {
        Skip.IfNot(Environment.UserName == "root", "needs root to create a network namespace (CI runs as root)");
        Namespace network;
        try
        {
            network = await Namespace.CreateAsync();
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("Operation not permitted", StringComparison.Ordinal))
        {
            // A container without CAP_SYS_ADMIN/CAP_NET_ADMIN: said, not passed.
            throw new SkipException($"this machine does not allow network namespaces: {exception.Message}");
        }

        using var cleanup = network;
        var (ca, certificate) = TestCertificates.Create(network.HostAddress);
        var data = Directory.CreateTempSubdirectory("repsec-crowdsec-").FullName;
        var certificatePath = Path.Combine(data, "server.pem");
        var keyPath = Path.Combine(data, "server.key");
        var caPath = Path.Combine(data, "ca.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem());

        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            // Every address: the veth's for the bouncer, loopback for the reports below.
            ["RepSec:Listen"] = "any",
            ["RepSec:TlsCertificate"] = certificatePath,
            ["RepSec:TlsKey"] = keyPath,
            ["RepSec:Reputation:TableRefreshMilliseconds"] = "50",
        });
        var reporter = await server.IssueTokenAsync("alice", Role.Registrant);
        var admin = await server.IssueTokenAsync("root", Role.Admin);
        var apiKey = await server.IssueTokenAsync("firewall", Role.Auditor);
        async Task<JsonElement> RequestAsync(string line)
        {
            await using var wire = await WireConnection.OpenAsync(server.Port, caPath, null);
            var answer = await wire.RequestAsync(line);
            Assert.Equal(200, answer.Status());
            return answer;
        }

        await RequestAsync(ReputationRequests.Report("192.0.2.7", reporter, "spam", 0.9, null, null));
        var withdrawn = await RequestAsync(ReputationRequests.Report("198.51.100.7", reporter, "malware", 0.8, null, null));
        await RequestAsync(ReputationRequests.Report("2001:db8::7", reporter, "phishing", 1, null, null));
        await RequestAsync(ReputationRequests.Report("192.0.2.8", reporter, "spam", 1, null, null));
        await RequestAsync(ReputationRequests.Report("192.0.2.9", reporter, "spam", 0.2, null, null));   // below min-rating
        await RequestAsync(ReputationRequests.Allowlist("192.0.2.8", admin, "add", "our relay"));

        var config = Path.Combine(data, "bouncer.yaml");
        await File.WriteAllTextAsync(config, $"""
            mode: nftables
            pid_dir: {data}/
            update_frequency: 1s
            daemonize: false
            log_mode: stdout
            log_level: info
            api_url: https://{network.HostAddress}:{server.RdapPort}/
            api_key: {apiKey}
            insecure_skip_verify: false
            disable_ipv6: false
            deny_action: DROP
            deny_log: false
            supported_decisions_types:
              - ban
            blacklists_ipv4: crowdsec-blacklists
            blacklists_ipv6: crowdsec6-blacklists
            nftables:
              ipv4:
                enabled: true
                set-only: false
                table: crowdsec
                chain: crowdsec-chain
              ipv6:
                enabled: true
                set-only: false
                table: crowdsec6
                chain: crowdsec6-chain
            prometheus:
              enabled: false
              listen_addr: 127.0.0.1
              listen_port: 60601
            """);
        // Go reads the CA to trust from SSL_CERT_FILE: the bouncer checks repsecd's certificate as it would any other.
        using var bouncer = network.Start("crowdsec-firewall-bouncer", ["-c", config], new() { ["SSL_CERT_FILE"] = caPath });

        await network.WaitForSetAsync("ip crowdsec crowdsec-blacklists", ["192.0.2.7", "198.51.100.7"], bouncer);
        await network.WaitForSetAsync("ip6 crowdsec6 crowdsec6-blacklists", ["2001:db8::7"], bouncer);
        // A ban lasts as long as the reputon it comes from (an hour by default).
        Assert.Contains("timeout 1h", await network.RunAsync("nft", "list", "set", "ip", "crowdsec", "crowdsec-blacklists"));

        await RequestAsync(ReputationRequests.Withdraw(withdrawn.GetProperty("report_id").GetInt64(), reporter));
        await RequestAsync(ReputationRequests.Allowlist("192.0.2.7", admin, "add", "a customer"));
        await RequestAsync(ReputationRequests.Report("203.0.113.77", reporter, "abuse", 0.7, null, null));
        await network.WaitForSetAsync("ip crowdsec crowdsec-blacklists", ["203.0.113.77"], bouncer);
        await network.WaitForSetAsync("ip6 crowdsec6 crowdsec6-blacklists", ["2001:db8::7"], bouncer);
    }

    /// <summary>A network namespace with a veth pair to the host's namespace, removed (with the pair) on dispose.</summary>
    private sealed class Namespace : IDisposable
    {
        private readonly string _name;

        private Namespace(string name, IPAddress host)
        {
            _name = name;
            HostAddress = host;
        }

        /// <summary>The host side's address, which repsecd listens on and the namespace reaches.</summary>
        public IPAddress HostAddress { get; }

        public static async Task<Namespace> CreateAsync()
        {
            var id = Random.Shared.Next(1, 250);
            var name = $"repsec-cs-{Environment.ProcessId % 10000}-{id}";
            var (outside, inside) = ($"rcs{id}o", $"rcs{id}i");
            var host = IPAddress.Parse($"10.231.{id}.1");
            var space = new Namespace(name, host);
            await Run("ip", "netns", "add", name);
            try
            {
                await Run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
                await Run("ip", "link", "set", inside, "netns", name);
                await Run("ip", "addr", "add", $"{host}/30", "dev", outside);
                await Run("ip", "link", "set", outside, "up");
                await space.RunAsync("ip", "addr", "add", $"10.231.{id}.2/30", "dev", inside);
                await space.RunAsync("ip", "link", "set", inside, "up");
                await space.RunAsync("ip", "link", "set", "lo", "up");
                return space;
            }
            catch
            {
                space.Dispose();
                throw;
            }
        }

        public Task<string> RunAsync(params string[] command) => Run(["ip", "netns", "exec", _name, .. command]);

        public ChildProcess Start(string program, string[] arguments, Dictionary<string, string> environment)
        {
            var process = Tool.Start("ip", ["netns", "exec", _name, program, .. arguments], "iproute2", environment);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ChildProcess(process, () => { lock (output) { return output.ToString(); } });
        }

        /// <summary>Waits (up to 30 s) until the nftables set holds exactly <paramref name="expected"/>.</summary>
        public async Task WaitForSetAsync(string set, string[] expected, ChildProcess bouncer)
        {
            var found = Array.Empty<string>();
            for (var i = 0; i < 150; i++)
            {
                string listing;
                try
                {
                    listing = await RunAsync(["nft", "list", "set", .. set.Split(' ')]);
                }
                catch (InvalidOperationException)
                {
                    // The bouncer has not made its tables yet.
                    await Task.Delay(200);
                    continue;
                }

                found = Elements(listing);
                if (found.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
                {
                    return;
                }

                Assert.False(bouncer.Process.HasExited, $"the bouncer exited: {bouncer.Output}");
                await Task.Delay(200);
            }

            Assert.Fail($"set {set} holds [{string.Join(", ", found)}], expected [{string.Join(", ", expected)}]; bouncer: {bouncer.Output}");
        }

        // "elements = { 192.0.2.7 timeout 1h expires 59m58s, 198.51.100.7 timeout 1h ... }"
        private static string[] Elements(string listing)
        {
            var at = listing.IndexOf("elements = {", StringComparison.Ordinal);
            if (at < 0)
            {
                return [];
            }

            var end = listing.IndexOf('}', at);
            return [.. listing[(at + "elements = {".Length)..end].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split(' ')[0])];
        }

        public void Dispose() => Run("ip", "netns", "del", _name).GetAwaiter().GetResult();

        private static async Task<string> Run(params string[] command)
        {
            var (exit, output, error) = await Tool.RunAsync(command[0], command[1..], "iproute2, nftables and crowdsec-firewall-bouncer");
            return exit == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', command)}: exit {exit}: {error}");
        }
    }
}
