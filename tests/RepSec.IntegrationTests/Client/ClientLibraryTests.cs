using System.Text.Json.Nodes;
using RepSec.Client;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Client;

/// <summary>The second layer: RepSec.Client against a real server over TLS.</summary>
public sealed class ClientLibraryTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _token = await _server.IssueTokenAsync("alice", Role.Registrant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<RepSecClient> ConnectAsync(string? token = null) =>
        RepSecClient.ConnectAsync("localhost", _server.Port, new RepSecClientOptions { CaCertificatePath = _server.CaPath, Token = token ?? _token });

    [Fact]
    public async Task Every_command_round_trips_with_typed_results()
    {
        await using var client = await ConnectAsync();

        var hello = await client.HelloAsync("tests/1");
        var pong = await client.PingAsync();
        var registered = await client.RegisterAsync("Lib.Example.", "domain", new JsonObject { ["note"] = "x" });
        var verified = await client.VerifyAsync("lib.example");
        var audit = await client.AuditAsync("lib.example", "domain");
        var removed = await client.RemoveAsync("lib.example");

        Assert.Equal("repsec/1", hello.Protocol);
        Assert.Contains("AUDIT", hello.Commands);
        Assert.Equal(300, hello.ReplayWindowSeconds);
        Assert.InRange((DateTimeOffset.UtcNow - pong.ServerTime).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal(("lib.example", "domain"), (registered.Entity, registered.Type));
        Assert.True(verified.Verified);
        Assert.Equal(registered.RegisteredAt, verified.LastUpdated);
        Assert.Equal([("register", "alice")], audit.Entries.Select(e => (e.Action, e.Actor!)));
        Assert.Equal(registered.LogIndex + 1, removed.LogIndex);
    }

    [Fact]
    public async Task Errors_arrive_as_typed_exceptions()
    {
        await using var client = await ConnectAsync();
        await client.RegisterAsync("dup.example", "domain");

        var conflict = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync("dup.example", "domain"));
        var missing = await Assert.ThrowsAsync<RepSecException>(() => client.VerifyAsync("missing.example", "domain"));
        var invalid = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync("not an ip", "ip"));

        Assert.Equal((409, "already_registered"), (conflict.Status, conflict.Error));
        Assert.Equal((404, "not_found"), (missing.Status, missing.Error));
        Assert.Equal((400, "invalid_entity"), (invalid.Status, invalid.Error));
    }

    [Fact]
    public async Task A_bad_token_is_a_401()
    {
        await using var client = await ConnectAsync("rs_0000000000000000_" + new string('A', 43));

        var error = await Assert.ThrowsAsync<RepSecException>(() => client.RegisterAsync("nope.example", "domain"));

        Assert.Equal((401, "auth_failed"), (error.Status, error.Error));
    }

    [Fact]
    public async Task Concurrent_calls_on_one_connection_are_pipelined_and_matched()
    {
        await using var client = await ConnectAsync();
        var writes = Enumerable.Range(0, 100).Select(i => client.RegisterAsync($"p{i}.example", "domain")).ToList();
        var reads = Enumerable.Range(0, 100).Select(i => client.VerifyAsync($"absent{i}.example", "domain")).ToList();

        var registered = await Task.WhenAll(writes);
        var failures = await Task.WhenAll(reads.Select(async r => (await Assert.ThrowsAsync<RepSecException>(() => r)).Status));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"p{i}.example"), registered.Select(r => r.Entity));
        Assert.Equal(100, registered.Select(r => r.LogIndex).Distinct().Count());
        Assert.All(failures, status => Assert.Equal(404, status));
    }

    [Fact]
    public async Task An_untrusted_server_certificate_refuses_to_connect()
    {
        var error = await Assert.ThrowsAsync<RepSecConnectionException>(() =>
            RepSecClient.ConnectAsync("localhost", _server.Port, new RepSecClientOptions()));

        Assert.NotNull(error.InnerException);
    }
}
