using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Transparency;

namespace RepSec.IntegrationTests.WebConsole;

/// <summary>The transparency log over HTTPS (<c>/log/...</c>), which the console verifies: answers, tiers and errors.</summary>
public sealed class TransparencyHttpTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        var token = await _server.IssueTokenAsync("alice", Role.Registrant);
        string[] global = ["--server", $"127.0.0.1:{_server.Port}", "--ca", _server.CaPath, "--token", token];
        Assert.Equal(0, await CliApp.RunAsync([.. global, "register", "example.com", "--type", "domain"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, await CliApp.RunAsync([.. global, "register", "example.net", "--type", "domain"], TextWriter.Null, TextWriter.Null));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_checkpoint_is_signed_by_the_key_it_names()
    {
        var (status, body) = await GetAsync("/log/checkpoint");

        Assert.Equal(HttpStatusCode.OK, status);
        var checkpoint = Checkpoint.OpenSigned(body.GetProperty("checkpoint").GetString()!, body.GetProperty("log_key").GetString()!);
        Assert.NotNull(checkpoint);
        Assert.Equal(body.GetProperty("tree_size").GetInt64(), checkpoint.Size);
    }

    [Fact]
    public async Task A_consistency_proof_links_two_sizes_of_the_tree()
    {
        var (_, latest) = await GetAsync("/log/checkpoint");
        var checkpoint = Checkpoint.OpenSigned(latest.GetProperty("checkpoint").GetString()!, latest.GetProperty("log_key").GetString()!)!;
        var log = _server.Host.Services.GetRequiredService<RepSec.Core.Transparency.TransparencyLog>();
        var earlier = await log.RootAsync(1);

        var (status, body) = await GetAsync($"/log/consistency?from=1&to={checkpoint.Size}");

        Assert.Equal(HttpStatusCode.OK, status);
        var proof = body.GetProperty("proof").EnumerateArray().Select(h => h.GetBytesFromBase64()).ToList();
        Assert.True(MerkleProofs.VerifyConsistency(1, checkpoint.Size, earlier, checkpoint.Root, proof));
    }

    [Fact]
    public async Task History_withholds_actors_from_anonymous_readers_and_shows_them_to_auditors()
    {
        await _server.SetPasswordAsync("audra", Role.Auditor, "a-long-password");

        var (anonymousStatus, anonymous) = await GetAsync("/log/history?entity=Example.COM.");
        var (auditorStatus, auditor) = await GetAsync("/log/history?entity=example.com", new("audra", "a-long-password"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (anonymousStatus, auditorStatus));
        Assert.Equal("example.com", anonymous.GetProperty("entity").GetString());
        var entry = Assert.Single(anonymous.GetProperty("entries").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("actor").ValueKind);
        Assert.False(entry.GetProperty("opening").TryGetProperty("actor", out _));
        Assert.Equal("alice", Assert.Single(auditor.GetProperty("entries").EnumerateArray()).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task The_operator_endpoints_are_for_admins_only()
    {
        await _server.SetPasswordAsync("audra", Role.Auditor, "a-long-password");
        await _server.SetPasswordAsync("root", Role.Admin, "another-long-password");

        var (anonymous, _) = await GetAsync("/admin/stats");
        var (auditor, _) = await GetAsync("/admin/stats", new("audra", "a-long-password"));
        var (admin, stats) = await GetAsync("/admin/stats", new("root", "another-long-password"));
        var (_, changes) = await GetAsync("/admin/changes", new("root", "another-long-password"));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK), (anonymous, auditor, admin));
        Assert.True(stats.GetProperty("log_size").GetInt64() >= 2);
        Assert.Equal(JsonValueKind.Array, changes.GetProperty("changes").ValueKind);
    }

    [Theory]
    [InlineData("/log/consistency?from=0&to=1", HttpStatusCode.BadRequest)]
    [InlineData("/log/consistency?from=2&to=1", HttpStatusCode.BadRequest)]
    [InlineData("/log/consistency?from=1&to=99999", HttpStatusCode.BadRequest)]
    [InlineData("/log/consistency?from=x&to=1", HttpStatusCode.BadRequest)]
    [InlineData("/log/history", HttpStatusCode.BadRequest)]
    [InlineData("/log/history?entity=example.com&type=nonsense", HttpStatusCode.BadRequest)]
    [InlineData("/log/history?entity=never.example", HttpStatusCode.NotFound)]
    [InlineData("/log/elsewhere", HttpStatusCode.NotFound)]
    public async Task Bad_requests_get_a_status_and_a_JSON_error(string target, HttpStatusCode expected)
    {
        var (status, body) = await GetAsync(target);

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string target, NetworkCredential? basic = null)
    {
        using var http = _server.RdapHttp();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{_server.RdapPort}{target}"));
        if (basic is not null)
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{basic.UserName}:{basic.Password}")));
        }

        using var response = await http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}
