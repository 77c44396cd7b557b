using System.Text.Json;
using Npgsql;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// Two nodes sharing one PostgreSQL: what is reported through one shows in the other's DNSBL, blocklist and decisions
/// (each node's reputation table follows the shared change feed), and a withdrawal through one leaves the other's.
/// </summary>
public sealed class ClusterListingTests
{
    private const string Zone = "bl.example.org";

    [SkippableFact]
    public async Task A_report_through_one_node_is_listed_by_the_other_and_a_withdrawal_delists_it()
    {
        var postgres = Engines.RequirePostgres();
        var schema = $"listing_{Guid.NewGuid():N}";
        await ExecuteAsync(postgres, $"CREATE SCHEMA {schema}");
        try
        {
            var shared = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ConnectionString;
            Dictionary<string, string?> Node(string data) => new()
            {
                ["RepSec:DataDirectory"] = data,
                ["RepSec:Store"] = "postgres",
                ["RepSec:Postgres"] = shared,
                ["RepSec:Dnsbl:Port"] = "0",
                ["RepSec:Dnsbl:Zone"] = Zone,
                ["RepSec:Reputation:TableRefreshMilliseconds"] = "100",
            };

            var firstData = Directory.CreateTempSubdirectory("repsec-node-a-").FullName;
            await using var first = await TestServer.StartAsync(Node(firstData));
            // Every node signs the shared log with the same key (docs/cluster.md).
            var secondData = Directory.CreateTempSubdirectory("repsec-node-b-").FullName;
            File.Copy(Path.Combine(firstData, "log-key"), Path.Combine(secondData, "log-key"));
            await using var second = await TestServer.StartAsync(Node(secondData));

            var reporter = await first.IssueTokenAsync("alice", Role.Registrant);
            JsonElement report;
            await using (var wire = await first.ConnectAsync())
            {
                report = await wire.RequestAsync(ReputationRequests.Report("192.0.2.99", reporter, "spam", 0.9, null, null));
                Assert.Equal(200, report.Status());
            }

            await EventuallyAsync(async () => (await Dig.QueryAsync(second.Host.DnsblPort, "99.2.0.192." + Zone)).Data("A").SequenceEqual(["127.0.0.2"]));
            Assert.Equal(["192.0.2.99"], (await Curl.GetAsync(second.CaPath, $"https://127.0.0.1:{second.RdapPort}/blocklist")).Lines);

            await using (var wire = await first.ConnectAsync())
            {
                Assert.Equal(200, (await wire.RequestAsync(ReputationRequests.Withdraw(report.GetProperty("report_id").GetInt64(), reporter))).Status());
            }

            await EventuallyAsync(async () => (await Dig.QueryAsync(second.Host.DnsblPort, "99.2.0.192." + Zone)).Status == "NXDOMAIN");
            Assert.Empty((await Curl.GetAsync(second.CaPath, $"https://127.0.0.1:{second.RdapPort}/blocklist")).Lines);
        }
        finally
        {
            await ExecuteAsync(postgres, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the other node did not catch up within 10 s");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
