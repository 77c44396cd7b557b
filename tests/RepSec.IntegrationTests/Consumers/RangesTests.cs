using NJsonSchema;
using RepSec.Cli;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.IntegrationTests.Reputation;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>
/// REPUTATION treats prefixes as first-class: an address's answer carries the reputation of every prefix with
/// reputation that covers it, most specific first, valid against the response schema, and the CLI shows it.
/// </summary>
public sealed class RangesTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:Reputation:TableRefreshMilliseconds"] = "50" });
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_address_is_answered_with_the_prefixes_that_cover_it()
    {
        await using (var wire = await _server.ConnectAsync())
        {
            foreach (var (entity, assertion, rating) in new[] { ("198.51.100.0/24", "malware", 0.8), ("198.51.0.0/16", "abuse", 0.6), ("198.51.100.9", "spam", 0.9), ("10.0.0.0/8", "spam", 1.0) })
            {
                Assert.Equal(200, (await wire.RequestAsync(ReputationRequests.Report(entity, _alice, assertion, rating, null, null))).Status());
            }
        }

        await Listings.SettledAsync(_server);
        await using var reader = await _server.ConnectAsync();
        var answer = await reader.RequestAsync("""{"command":"REPUTATION","entity":"198.51.100.9"}""");
        Assert.Equal("spam", Assert.Single(answer.GetProperty("reputons").EnumerateArray()).GetProperty("assertion").GetString());
        var covering = answer.GetProperty("covering").EnumerateArray().ToList();
        Assert.Equal(["198.51.100.0/24", "198.51.0.0/16"], covering.Select(c => c.GetProperty("entity").GetString()));
        Assert.Equal("malware", covering[0].GetProperty("reputons")[0].GetProperty("assertion").GetString());
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Transparency", "Schemas", "reputation-response.json")));
        Assert.Empty(schema.Validate(answer.GetRawText()));

        // A prefix has the prefixes above it; a domain has no such member.
        var prefix = await reader.RequestAsync("""{"command":"REPUTATION","entity":"198.51.100.0/24"}""");
        Assert.Equal(["198.51.0.0/16"], prefix.GetProperty("covering").EnumerateArray().Select(c => c.GetProperty("entity").GetString()));
        Assert.False((await reader.RequestAsync("""{"command":"REPUTATION","entity":"example.com","type":"domain"}""")).TryGetProperty("covering", out _));

        using var stdout = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["--server", $"127.0.0.1:{_server.Port}", "--ca", _server.CaPath, "reputation", "198.51.100.9"], stdout, TextWriter.Null));
        Assert.Contains("covered by 198.51.100.0/24: malware 0.8 (confidence 0.5, 1 reports)", stdout.ToString());
        Assert.Contains("covered by 198.51.0.0/16: abuse 0.6 (confidence 0.5, 1 reports)", stdout.ToString());
    }
}
