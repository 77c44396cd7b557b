using System.Collections.Concurrent;
using Npgsql;
using RepSec.Client;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Transparency;
using RepSec.Storage.Postgres;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Cluster;

/// <summary>
/// Several real repsecd processes on loopback sharing one PostgreSQL (a schema of this test's own) and one Redis
/// (a key prefix of its own), as an operator runs them behind a TCP load balancer.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("repsec-cluster-").FullName;
    private readonly string _schema = $"cluster_{Guid.NewGuid():N}";
    private readonly List<NodeProcess> _nodes = [];
    private Dictionary<string, string> _environment = [];

    private string Ca => Path.Combine(_data, "tls", "dev-ca.crt");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (Engines.Postgres is { } postgres && _environment.Count > 0)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    /// <summary>The environment every node and operator command of this cluster runs with.</summary>
    private async Task ConfigureAsync(params (string Key, string Value)[] extra)
    {
        var postgres = Engines.RequirePostgres();
        var redis = Engines.RequireRedis();
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        _environment = new Dictionary<string, string>
        {
            ["RepSec__Store"] = "postgres",
            ["RepSec__Postgres"] = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = _schema }.ConnectionString,
            ["RepSec__Redis"] = redis,
            ["RepSec__RedisKeyPrefix"] = Engines.UniquePrefix(),
        };
        foreach (var (key, value) in extra)
        {
            _environment[key] = value;
        }
    }

    private async Task<NodeProcess> StartNodeAsync()
    {
        var node = await NodeProcess.StartAsync(_data, _environment);
        _nodes.Add(node);
        return node;
    }

    private async Task<string> IssueTokenAsync(string principal)
    {
        var (exit, output, error) = await NodeProcess.RunAsync(_environment, "token", "issue", "--data", _data, "--principal", principal, "--role", "registrant");
        Assert.True(exit == 0, error);
        return output.Trim();
    }

    private Task<RepSecClient> ClientAsync(NodeProcess node, string? token = null) =>
        RepSecClient.ConnectAsync("127.0.0.1", node.Port, new RepSecClientOptions { CaCertificatePath = Ca, Token = token });

    [SkippableFact]
    public async Task Two_nodes_are_one_registry_with_one_replay_guard_and_one_log()
    {
        await ConfigureAsync();
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var token = await IssueTokenAsync("alice");
        await using var onA = await ClientAsync(a, token);
        await using var onB = await ClientAsync(b, token);

        // Registered through one node, verified and audited through the other.
        var registered = await onA.RegisterAsync("cluster.example", "domain");
        Assert.True((await onB.VerifyAsync("cluster.example", "domain")).Verified);
        var audit = await onB.AuditAsync("cluster.example", "domain");
        Assert.Equal(registered.LogIndex, Assert.Single(audit.Entries).LogIndex);

        // A request replayed on the other node is refused.
        var line = Requests.Register("replayed.example", "domain", token);
        await using (var wireA = await WireConnection.OpenAsync(a.Port, Ca))
        await using (var wireB = await WireConnection.OpenAsync(b.Port, Ca))
        {
            Assert.Equal(200, (await wireA.RequestAsync(line)).Status());
            var replay = await wireB.RequestAsync(line);
            Assert.Equal((409, "replayed_nonce"), (replay.Status(), replay.Error()));
        }

        // Concurrent writes on both nodes take distinct, consecutive places in one log.
        var before = await onA.CheckpointAsync();
        var indices = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            await using var client = await ClientAsync(w % 2 == 0 ? a : b, token);
            for (var i = 0; i < 40; i++)
            {
                indices.Add((await client.RegisterAsync($"c{w}-{i}.example", "domain")).LogIndex);
            }
        }));
        Assert.Equal(Enumerable.Range((int)before.TreeSize, 160).Select(i => (long)i), indices.Order());

        // Checkpoints from either node are of one log: the same at one size, consistent across sizes.
        var fromA = await onA.CheckpointAsync();
        var fromB = await onB.CheckpointAsync();
        Assert.Equal(before.TreeSize + 160, fromB.TreeSize);
        Assert.Equal(fromA.Checkpoint, fromB.Checkpoint);
        var proof = await onB.ConsistencyProofAsync(before.TreeSize, fromA.TreeSize);
        Assert.True(MerkleProofs.VerifyConsistency(before.TreeSize, fromA.TreeSize, before.Root, fromA.Root, proof.Consistency));
    }

    [SkippableFact]
    public async Task Reports_through_either_node_make_one_reputation_and_one_change_feed()
    {
        await ConfigureAsync(("RepSec__Reputation__ReportIntervalSeconds", "0"));
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var tokens = new[] { await IssueTokenAsync("carol"), await IssueTokenAsync("dave") };

        // Each reporter reports each of 10 entities through both nodes at once; a reporter's second report
        // supersedes the first, so each entity ends with two voices: carol's 1 and dave's 0.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            await using var wire = await WireConnection.OpenAsync(w % 2 == 0 ? a.Port : b.Port, Ca);
            for (var i = 0; i < 10; i++)
            {
                var answer = await wire.RequestAsync(Reputation.ReputationRequests.Report($"r{i}.example", tokens[w / 2], "spam", w / 2 == 0 ? 1 : 0, null, null));
                Assert.Equal(200, answer.Status());
            }
        }));

        await using var readA = await WireConnection.OpenAsync(a.Port, Ca);
        await using var readB = await WireConnection.OpenAsync(b.Port, Ca);
        var feed = await readB.RequestAsync("""{"command":"CHANGES","limit":1000}""");
        var changes = feed.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}.example").Order(), changes.Select(c => c.Str("entity")).Order());
        foreach (var change in changes)
        {
            var spam = Assert.Single(change.GetProperty("reputons").EnumerateArray());
            Assert.Equal((2L, 0.5), (spam.GetProperty("sample-size").GetInt64(), spam.GetProperty("rating").GetDouble()));
            var onA = await readA.RequestAsync($$"""{"command":"REPUTATION","entity":"{{change.Str("entity")}}"}""");
            // The same values; generated and expires only within seconds, as each answer is generated when asked.
            Repute.ReputonAssert.Same(change.GetProperty("reputons"), onA.GetProperty("reputons"));
        }

        // A report through node A moves its entity to the end of the feed node B serves.
        Assert.Equal(200, (await readA.RequestAsync(Reputation.ReputationRequests.Report("r3.example", tokens[1], "spam", 1, null, null))).Status());
        var next = await readB.RequestAsync($$"""{"command":"CHANGES","cursor":"{{feed.Str("cursor")}}"}""");
        var moved = Assert.Single(next.GetProperty("changes").EnumerateArray());
        Assert.Equal("r3.example", moved.Str("entity"));
        Assert.Equal(1.0, Assert.Single(moved.GetProperty("reputons").EnumerateArray()).GetProperty("rating").GetDouble());
    }

    [SkippableFact]
    public async Task A_node_with_another_log_key_refuses_to_start()
    {
        await ConfigureAsync();
        await StartNodeAsync();
        var other = Directory.CreateTempSubdirectory("repsec-cluster-other-").FullName;
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeProcess.StartAsync(other, _environment));

            Assert.Contains("the shared log is signed with", failure.Message, StringComparison.Ordinal);
            Assert.Contains("give every node the same log-key", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_token_revoked_by_the_operator_stops_working_on_every_node()
    {
        await ConfigureAsync();
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var token = await IssueTokenAsync("bob");
        await using var onA = await ClientAsync(a, token);
        await using var onB = await ClientAsync(b, token);
        await onA.RegisterAsync("bob-a.example", "domain");
        await onB.RegisterAsync("bob-b.example", "domain");

        var (exit, _, error) = await NodeProcess.RunAsync(_environment, "token", "revoke", "--data", _data, "--principal", "bob");
        Assert.True(exit == 0, error);

        foreach (var client in new[] { onA, onB })
        {
            var refused = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync($"after-{Guid.NewGuid():N}.example", "domain"));
            Assert.Equal(401, refused.Status);
        }
    }

    [SkippableFact]
    public async Task The_rate_limit_of_an_address_holds_across_nodes()
    {
        await ConfigureAsync(("RepSec__RateLimits__PerAddressPerSecond", "1"), ("RepSec__RateLimits__PerAddressBurst", "6"));
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await using var onA = await ClientAsync(a);
        await using var onB = await ClientAsync(b);

        for (var i = 0; i < 3; i++)
        {
            await onA.PingAsync();
            await onB.PingAsync();
        }

        // Six requests spent the address's burst of six, three on each node; the seventh, on either node, waits.
        var refused = await Assert.ThrowsAsync<RepSecException>(() => onB.PingAsync());
        Assert.Equal(429, refused.Status);
        Assert.Equal(429, (await Assert.ThrowsAsync<RepSecException>(() => onA.PingAsync())).Status);
    }

    [SkippableFact]
    public async Task A_node_killed_mid_load_loses_no_acknowledged_write()
    {
        await ConfigureAsync(("RepSec__RateLimits__PerAddressPerSecond", "0"), ("RepSec__RateLimits__PerPrincipalPerSecond", "0"));
        var nodes = new[] { await StartNodeAsync(), await StartNodeAsync(), await StartNodeAsync() };
        var token = await IssueTokenAsync("loader");
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 9).Select(w => Task.Run(async () =>
        {
            await using var client = await ClientAsync(nodes[w % 3], token);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    acknowledged.Add((await client.RegisterAsync($"k{w}-{i}.example", "domain")).Entity);
                }
                catch (Exception exception) when (exception is RepSecConnectionException or TimeoutException or IOException or ObjectDisposedException)
                {
                    return; // this writer's node died under it
                }
            }
        })).ToList();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (acknowledged.Count < 300 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await nodes[1].KillAsync();
        var atKill = acknowledged.Count;
        while (acknowledged.Count < atKill + 200 && DateTime.UtcNow < deadline.AddSeconds(30))
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count >= atKill + 200, $"the surviving nodes acknowledged only {acknowledged.Count - atKill} writes after the kill");

        await using var survivor = await ClientAsync(nodes[2]);
        foreach (var entity in acknowledged)
        {
            Assert.True((await survivor.VerifyAsync(entity, "domain")).Verified, entity);
        }

        // The shared log still verifies end to end, and has exactly one entry per registered entity.
        await using var database = new PostgresDatabase(_environment["RepSec__Postgres"]);
        var report = PostgresLogAudit.Run(database);
        Assert.True(report.Verified, string.Join("; ", report.Problems));
        Assert.True(report.Records >= acknowledged.Count, $"{report.Records} records stored, {acknowledged.Count} acknowledged");
        // Every entry is a registration of a stored record, besides the operator's principal_add and token_issue:
        // nothing unacknowledged is half there (a write in flight at the kill is either whole or absent).
        Assert.Equal(report.Records + 2, report.Entries);
    }
}
