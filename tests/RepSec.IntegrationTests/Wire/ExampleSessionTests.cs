using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>PROTOCOL.md section 8, byte for byte where the example fixes the bytes.</summary>
public sealed class ExampleSessionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Hello_register_verify_as_in_the_profile()
    {
        var token = await _server.IssueTokenAsync("alice", Role.Registrant);
        await using var wire = await _server.ConnectAsync();

        Assert.Equal("repsec/1", wire.Tls.NegotiatedApplicationProtocol.ToString());
        var key = _server.Host.Services.GetRequiredService<LogSigningKey>();
        await wire.SendAsync("{\"command\":\"HELLO\",\"id\":1}\n");
        Assert.Equal(
            $$"""{"status":200,"message":"RepSec ready","id":1,"protocol":"repsec/1","commands":["PING","HELLO","REGISTER","VERIFY","REMOVE","AUDIT"],"extensions":[{"name":"transparency","version":"1","commands":["CHECKPOINT","INCLUSION_PROOF","CONSISTENCY_PROOF"],"origin":"{{key.Origin}}","log_key":"{{key.VerifierKey}}"},{"name":"reputation","version":"1","commands":["REPORT","WITHDRAW","REPUTATION","CHANGES","ALLOWLIST","TRUST"],"rater":"{{key.Origin}}","assertions":["abuse","compromised","malware","phishing","spam","trustworthy"],"half_life_days":30}],"limits":{"max_line_bytes":65536,"max_json_depth":32,"replay_window_seconds":300},"auth_methods":["token","tls-client-cert"]}""",
            await wire.ReadLineAsync());

        var registered = await wire.RequestAsync(
            $$"""{"command":"REGISTER","entity":"Example.COM.","type":"domain","auth":"{{token}}","nonce":"q2Zr3kTt0fX9bY1cU4wP7a","timestamp":"{{Requests.Now()}}"}""");
        Assert.Equal(200, registered.Status());
        Assert.Equal("Entity registered successfully", registered.Str("message"));
        Assert.Equal("example.com", registered.Str("entity"));
        Assert.Equal("domain", registered.Str("type"));
        // The operator's principal_add and token_issue came first in the log.
        Assert.Equal(2, registered.GetProperty("log_index").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", registered.Str("registered_at"));

        var verified = await wire.RequestAsync("""{"command":"VERIFY","entity":"example.com"}""");
        Assert.Equal(200, verified.Status());
        Assert.Equal("Entity verified", verified.Str("message"));
        Assert.True(verified.GetProperty("verified").GetBoolean());
        Assert.Equal(registered.Str("registered_at"), verified.Str("last_updated"));
        Assert.Equal("domain", verified.Str("type"));
    }

    [Fact]
    public async Task Commands_are_case_insensitive_and_ping_answers_anonymously()
    {
        await using var wire = await _server.ConnectAsync();

        var pong = await wire.RequestAsync("""{"command":"ping","id":"p"}""");

        Assert.Equal(200, pong.Status());
        Assert.Equal("p", pong.Str("id"));
        Assert.True(DateTimeOffset.TryParse(pong.Str("server_time"), out _));
    }

    [Fact]
    public async Task Every_entity_type_registers_in_canonical_form()
    {
        var token = await _server.IssueTokenAsync("carol", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        (string Entity, string Type, string Canonical)[] cases =
        [
            ("BÜCHER.example", "DOMAIN", "xn--bcher-kva.example"),
            ("2001:DB8:0:0:0:0:0:1", "ip", "2001:db8::1"),
            ("198.51.100.77/24", "ip", "198.51.100.0/24"),
            ("AS64496", "asn", "64496"),
            ("Cafe\u0301", "userid", "Caf\u00e9"),
            ("Example Org", "organization", "Example Org"),
        ];

        foreach (var (entity, type, canonical) in cases)
        {
            var response = await wire.RequestAsync(Requests.Register(entity, type, token));
            Assert.Equal(200, response.Status());
            Assert.Equal(canonical, response.Str("entity"));
            Assert.Equal(type.ToLowerInvariant(), response.Str("type"));
        }

        var org = await wire.RequestAsync(Requests.Verify("EXAMPLE ORG", "organization"));
        Assert.Equal("Example Org", org.Str("entity"));
        var untyped = await wire.RequestAsync(Requests.Verify("as64496"));
        Assert.Equal("asn", untyped.Str("type"));
    }

    [Fact]
    public async Task An_entity_registered_as_two_types_needs_a_type()
    {
        var token = await _server.IssueTokenAsync("dave", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        await wire.RequestAsync(Requests.Register("twice.example", "domain", token));
        await wire.RequestAsync(Requests.Register("twice.example", "userid", token));

        var ambiguous = await wire.RequestAsync(Requests.Verify("twice.example"));
        var typed = await wire.RequestAsync(Requests.Verify("twice.example", "userid"));

        Assert.Equal((400, "ambiguous_entity"), (ambiguous.Status(), ambiguous.Error()));
        Assert.Equal("userid", typed.Str("type"));
    }

    [Fact]
    public async Task A_row_edited_in_the_database_changes_nothing_verify_serves_and_the_offline_check_names_it()
    {
        var token = await _server.IssueTokenAsync("erin", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        await wire.RequestAsync(Requests.Register("tamper.example", "domain", token, attributes: new { note = "original" }));

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "repsec.db")}"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE entities SET attributes = '{\"note\":\"forged\"}' WHERE key = 'tamper.example'";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        var verified = await wire.RequestAsync(Requests.Verify("tamper.example", "domain"));
        Assert.Equal(200, verified.Status());
        Assert.True(verified.GetProperty("verified").GetBoolean());
        Assert.Contains(RepSec.Storage.Sqlite.SqliteLogAudit.Run(new RepSec.Storage.Sqlite.SqliteDatabase(_server.DataDirectory)).Problems,
            p => p.Contains("domain tamper.example no longer matches the log entry", StringComparison.Ordinal));
    }
}
