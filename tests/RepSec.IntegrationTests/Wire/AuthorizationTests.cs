using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>PROTOCOL.md sections 4 and 6: roles, ownership, anonymous access, AUDIT visibility.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = "", _bob = "", _auditor = "", _admin = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _bob = await _server.IssueTokenAsync("bob", Role.Registrant);
        _auditor = await _server.IssueTokenAsync("audra", Role.Auditor);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Anonymous_clients_may_ping_hello_verify_but_not_write_or_audit()
    {
        await using var wire = await _server.ConnectAsync();

        var register = await wire.RequestAsync(Requests.Register("anon.example", "domain", token: null));
        var audit = await wire.RequestAsync(Requests.Audit("anon.example", token: null));

        Assert.Equal((401, "auth_required"), (register.Status(), register.Error()));
        Assert.Equal((401, "auth_required"), (audit.Status(), audit.Error()));
        Assert.Equal(200, (await wire.RequestAsync("""{"command":"HELLO"}""")).Status());
        Assert.Equal(404, (await wire.RequestAsync(Requests.Verify("anon.example", "domain"))).Status());
    }

    [Fact]
    public async Task Unknown_tokens_fail_without_revealing_why()
    {
        await using var wire = await _server.ConnectAsync();
        var forged = _alice[..^4] + "AAAA";

        var response = await wire.RequestAsync(Requests.Register("forged.example", "domain", forged));

        Assert.Equal((401, "auth_failed", "Authentication failed"), (response.Status(), response.Error(), response.Str("message")));
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_removes_and_auditors_cannot_register()
    {
        await using var wire = await _server.ConnectAsync();
        Assert.Equal(200, (await wire.RequestAsync(Requests.Register("owned.example", "domain", _alice))).Status());
        Assert.Equal(200, (await wire.RequestAsync(Requests.Register("owned2.example", "domain", _alice))).Status());

        var byBob = await wire.RequestAsync(Requests.Remove("owned.example", _bob));
        var byAuditorRemove = await wire.RequestAsync(Requests.Remove("owned.example", _auditor));
        var byAuditor = await wire.RequestAsync(Requests.Register("audra.example", "domain", _auditor));
        var byAlice = await wire.RequestAsync(Requests.Remove("owned.example", _alice));
        var byAdmin = await wire.RequestAsync(Requests.Remove("owned2.example", _admin, "domain"));
        var again = await wire.RequestAsync(Requests.Remove("owned.example", _alice));

        Assert.Equal((403, "not_owner"), (byBob.Status(), byBob.Error()));
        Assert.Equal((403, "not_owner"), (byAuditorRemove.Status(), byAuditorRemove.Error()));
        Assert.Equal((403, "forbidden"), (byAuditor.Status(), byAuditor.Error()));
        Assert.Equal(200, byAlice.Status());
        Assert.True(byAlice.GetProperty("log_index").GetInt64() > 0);
        Assert.Equal(200, byAdmin.Status());
        Assert.Equal((404, "not_found"), (again.Status(), again.Error()));
    }

    [Fact]
    public async Task Audit_history_survives_removal_for_the_last_owner_auditors_and_admins_only()
    {
        await using var wire = await _server.ConnectAsync();
        await wire.RequestAsync(Requests.Register("hist.example", "domain", _alice));
        await wire.RequestAsync(Requests.Remove("hist.example", _alice));
        await wire.RequestAsync(Requests.Register("hist.example", "domain", _bob));

        var asBob = await wire.RequestAsync(Requests.Audit("hist.example", _bob));
        var asAlice = await wire.RequestAsync(Requests.Audit("hist.example", _alice));
        var asAuditor = await wire.RequestAsync(Requests.Audit("hist.example", _auditor));
        var never = await wire.RequestAsync(Requests.Audit("never.example", _auditor, "domain"));

        Assert.Equal(200, asBob.Status());
        var bobEntries = asBob.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["register", "remove", "register"], bobEntries.Select(e => e.Str("action")));
        Assert.Equal([null, null, "bob"], bobEntries.Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal((403, "not_owner"), (asAlice.Status(), asAlice.Error()));
        Assert.Equal(["alice", "alice", "bob"], asAuditor.GetProperty("entries").EnumerateArray().Select(e => e.Str("actor")));
        var indices = asAuditor.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("log_index").GetInt64()).ToList();
        Assert.Equal(indices.Order(), indices);
        Assert.Equal((404, "not_found"), (never.Status(), never.Error()));
    }

    [Fact]
    public async Task Removed_entities_lose_their_attributes()
    {
        await using var wire = await _server.ConnectAsync();
        await wire.RequestAsync(Requests.Register("purge.example", "domain", _alice, attributes: new { contact = "secret-contact@example" }));
        await wire.RequestAsync(Requests.Remove("purge.example", _alice));

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "repsec.db")}");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM entities WHERE attributes LIKE '%secret-contact%'";
        Assert.Equal(0L, (long)query.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_within_seconds()
    {
        var token = await _server.IssueTokenAsync("temp", Role.Registrant);
        await using var wire = await _server.ConnectAsync();
        Assert.Equal(200, (await wire.RequestAsync(Requests.Register("rev1.example", "domain", token))).Status());

        var store = (IPrincipalStore)_server.Host.Services.GetService(typeof(IPrincipalStore))!;
        BearerToken.TryParse(token, out var id, out _);
        await store.RevokeTokenAsync(id.ToString(), DateTimeOffset.UtcNow);

        // Poll for the documented one-second cache lifetime, bounded; no fixed sleep.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string? error;
        do
        {
            error = (await wire.RequestAsync(Requests.Register($"rev{Guid.NewGuid():N}.example", "domain", token))).Error();
        }
        while (error is null && DateTime.UtcNow < deadline);

        Assert.Equal("auth_failed", error);
    }
}
