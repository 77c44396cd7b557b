using System.Net;
using System.Text.Json;
using Npgsql;
using RepSec.Client;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Testing;
using ConfigurationOptions = StackExchange.Redis.ConfigurationOptions;

namespace RepSec.IntegrationTests.Cluster;

/// <summary>
/// A node whose engine goes away: requests fail with 500 internal_error (nothing is acknowledged that is not
/// stored), readiness answers 503 naming the engine, and service resumes by itself when the engine returns.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_single_node_is_live_and_ready()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.RdapHttp();

        var live = await http.GetAsync(new Uri($"https://127.0.0.1:{server.RdapPort}/health/live"));
        var ready = await http.GetAsync(new Uri($"https://127.0.0.1:{server.RdapPort}/health/ready"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready","checks":{"store":"ok"}}""", await ready.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Redis_going_away_fails_requests_with_500_and_unready_until_it_returns()
    {
        var configuration = ConfigurationOptions.Parse(Engines.RequireRedis());
        var target = (IPEndPoint)configuration.EndPoints[0];
        await using var relay = TcpRelay.To(target.Address.ToString(), target.Port);
        configuration.EndPoints.Clear();
        configuration.EndPoints.Add(IPAddress.Loopback, relay.Port);
        configuration.ConnectTimeout = 1_000;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["RepSec:Redis"] = configuration.ToString(includePassword: true),
            ["RepSec:RedisKeyPrefix"] = Engines.UniquePrefix(),
        });
        var token = await server.IssueTokenAsync("alice", Role.Registrant);
        await using var client = await RepSecClient.ConnectAsync("127.0.0.1", server.Port,
            new RepSecClientOptions { CaCertificatePath = server.CaPath, Token = token });
        using var http = server.RdapHttp();
        var ready = new Uri($"https://127.0.0.1:{server.RdapPort}/health/ready");

        await client.RegisterAsync("before.example", "domain");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready)).StatusCode);

        relay.Cut();
        var failure = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync("during.example", "domain"));
        var unready = await http.GetAsync(ready);

        Assert.Equal((500, "internal_error"), (failure.Status, failure.Error));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Equal("unreachable", JsonDocument.Parse(await unready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("redis").GetString());

        relay.Restore();
        await EventuallyAsync(() => client.RegisterAsync("after.example", "domain"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready)).StatusCode);
        Assert.True((await client.VerifyAsync("before.example", "domain")).Verified);
        Assert.Equal(404, (await Assert.ThrowsAsync<RepSecException>(() => client.VerifyAsync("during.example", "domain"))).Status);
        Assert.True((await client.VerifyAsync("after.example", "domain")).Verified);
    }

    [SkippableFact]
    public async Task PostgreSQL_going_away_fails_requests_with_500_and_unready_until_it_returns()
    {
        var postgres = new NpgsqlConnectionStringBuilder(Engines.RequirePostgres());
        var schema = $"outage_{Guid.NewGuid():N}";
        await ExecuteAsync(postgres.ConnectionString, $"CREATE SCHEMA {schema}");
        try
        {
            await using var relay = TcpRelay.To(postgres.Host!, postgres.Port);
            var relayed = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Port = relay.Port, SearchPath = schema, Timeout = 3 };
            await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
            {
                ["RepSec:Store"] = "postgres",
                ["RepSec:Postgres"] = relayed.ConnectionString,
            });
            var token = await server.IssueTokenAsync("alice", Role.Registrant);
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", server.Port,
                new RepSecClientOptions { CaCertificatePath = server.CaPath, Token = token });
            using var http = server.RdapHttp();
            var ready = new Uri($"https://127.0.0.1:{server.RdapPort}/health/ready");

            await client.RegisterAsync("before.example", "domain");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready)).StatusCode);

            relay.Cut();
            var write = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync("during.example", "domain"));
            var read = await Assert.ThrowsAsync<RepSecException>(() => client.VerifyAsync("before.example", "domain"));
            var unready = await http.GetAsync(ready);

            Assert.Equal((500, "internal_error"), (write.Status, write.Error));
            Assert.Equal((500, "internal_error"), (read.Status, read.Error));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Equal("unreachable", JsonDocument.Parse(await unready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("store").GetString());

            relay.Restore();
            await EventuallyAsync(() => client.RegisterAsync("after.example", "domain"));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ready)).StatusCode);
            Assert.True((await client.VerifyAsync("before.example", "domain")).Verified);
            Assert.True((await client.VerifyAsync("after.example", "domain")).Verified);
            Assert.Equal(404, (await Assert.ThrowsAsync<RepSecException>(() => client.VerifyAsync("during.example", "domain"))).Status);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres.ConnectionString, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Retries until the call succeeds (the engine is back and the node reconnected) or recovery takes too long.</summary>
    internal static async Task EventuallyAsync(Func<Task> call)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RepSecException exception) when (exception.Status == 500 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
