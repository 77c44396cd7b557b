using System.Text.Json;
using Microsoft.Data.Sqlite;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;
using RepSec.Protocol.Transparency;
using RepSec.Storage.Sqlite;

namespace RepSec.IntegrationTests.Transparency;

/// <summary>The transparency extension over the wire: checkpoints, proofs, AUDIT answers a client can check, tampering caught.</summary>
public sealed class TransparencyLogTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = null!;
    private string _bob = null!;
    private string _auditor = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _bob = await _server.IssueTokenAsync("bob", Role.Registrant);
        _auditor = await _server.IssueTokenAsync("audra", Role.Auditor);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string PublishedKey => File.ReadAllText(Path.Combine(_server.DataDirectory, "log-key.pub")).Trim();

    private async Task<JsonElement> RequestAsync(string line)
    {
        await using var wire = await _server.ConnectAsync();
        return await wire.RequestAsync(line);
    }

    /// <summary>alice registers, an admin removes, bob registers the same entity again.</summary>
    private async Task<JsonElement> HistoryAsync(string entity, string reader)
    {
        Assert.Equal(200, (await RequestAsync(Requests.Register(entity, "domain", _alice))).Status());
        Assert.Equal(200, (await RequestAsync(Requests.Remove(entity, _admin))).Status());
        Assert.Equal(200, (await RequestAsync(Requests.Register(entity, "domain", _bob))).Status());
        var audit = await RequestAsync(Requests.Audit(entity, reader));
        Assert.Equal(200, audit.Status());
        return audit;
    }

    [Fact]
    public async Task An_auditors_answer_verifies_under_the_published_key_and_hello_names_that_key()
    {
        var audit = await HistoryAsync("Proof.Example", _auditor);

        Assert.Null(AuditProofs.Check(audit, PublishedKey, "proof.example"));
        Assert.Equal(["alice", "root", "bob"], audit.GetProperty("entries").EnumerateArray().Select(e => e.Str("actor")));
        var hello = await RequestAsync("""{"command":"HELLO"}""");
        var extension = Assert.Single(hello.GetProperty("extensions").EnumerateArray(), e => e.Str("name") == "transparency");
        Assert.Equal(("transparency", PublishedKey), (extension.Str("name"), extension.Str("log_key")));
        Assert.StartsWith(extension.Str("origin") + "+", PublishedKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_gets_no_opening_for_other_actors_and_still_verifies()
    {
        var audit = await HistoryAsync("owner.example", _bob);
        var entries = audit.GetProperty("entries").EnumerateArray().ToList();

        Assert.Equal([null, null, "bob"], entries.Select(e => e.GetProperty("actor").GetString()));
        Assert.False(entries[0].GetProperty("opening").TryGetProperty("actor", out _));
        Assert.True(entries[2].GetProperty("opening").TryGetProperty("actor", out _));
        Assert.Null(AuditProofs.Check(audit, PublishedKey, "owner.example"));
        Assert.DoesNotContain("secret", audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_for_another_entity_or_under_another_key_does_not_verify()
    {
        var audit = await HistoryAsync("mine.example", _auditor);
        var otherKey = SignedNote.VerifierKey("someone/else", SignedNote.PublicKey(SignedNote.NewPrivateKey()));

        var first = audit.GetProperty("entries")[0].GetProperty("log_index").GetInt64();
        Assert.Equal($"subject of {first}", AuditProofs.Check(audit, PublishedKey, "theirs.example"));
        Assert.Equal("checkpoint signature", AuditProofs.Check(audit, otherKey, "mine.example"));
    }

    [Fact]
    public async Task Checkpoints_and_proofs_answer_anyone_and_verify()
    {
        await RequestAsync(Requests.Register("a.example", "domain", _alice));
        var first = await RequestAsync("""{"command":"CHECKPOINT"}""");
        await RequestAsync(Requests.Register("b.example", "domain", _alice));
        await RequestAsync(Requests.Register("c.example", "domain", _alice));
        var second = await RequestAsync("""{"command":"checkpoint"}""");

        var older = Checkpoint.OpenSigned(first.Str("checkpoint"), PublishedKey)!;
        var newer = Checkpoint.OpenSigned(second.Str("checkpoint"), PublishedKey)!;
        Assert.Equal(older.Size + 2, newer.Size);
        Assert.Equal(newer.Root, second.GetProperty("root").GetBytesFromBase64());

        var consistency = await RequestAsync($$"""{"command":"CONSISTENCY_PROOF","from":{{older.Size}}}""");
        Assert.Equal(newer.Size, consistency.GetProperty("to").GetInt64());
        Assert.True(MerkleProofs.VerifyConsistency(older.Size, newer.Size, older.Root, newer.Root, Hashes(consistency, "consistency")));
        Assert.Equal(second.Str("checkpoint"), consistency.Str("checkpoint"));

        var index = newer.Size - 1;
        var inclusion = await RequestAsync($$"""{"command":"INCLUSION_PROOF","index":{{index}}}""");
        Assert.True(MerkleProofs.VerifyInclusion(inclusion.GetProperty("leaf_hash").GetBytesFromBase64(), index, newer.Size, Hashes(inclusion, "inclusion"), newer.Root));

        var atOlder = await RequestAsync($$"""{"command":"INCLUSION_PROOF","index":0,"tree_size":{{older.Size}}}""");
        Assert.False(atOlder.TryGetProperty("checkpoint", out _));
        Assert.Equal(older.Root, atOlder.GetProperty("root").GetBytesFromBase64());
        Assert.True(MerkleProofs.VerifyInclusion(atOlder.GetProperty("leaf_hash").GetBytesFromBase64(), 0, older.Size, Hashes(atOlder, "inclusion"), older.Root));
    }

    [Theory]
    [InlineData("""{"command":"INCLUSION_PROOF"}""", "missing_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":-1}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":1.5}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":"1"}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":1e3}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":99999999999999999999}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":1000}""", "invalid_parameter")]
    [InlineData("""{"command":"INCLUSION_PROOF","index":0,"tree_size":1000}""", "invalid_parameter")]
    [InlineData("""{"command":"CONSISTENCY_PROOF","from":3,"to":2}""", "invalid_parameter")]
    [InlineData("""{"command":"CONSISTENCY_PROOF","to":2}""", "missing_parameter")]
    [InlineData("""{"command":"CONSISTENCY_PROOF","from":{}}""", "invalid_parameter")]
    public async Task Bad_sizes_and_indices_are_400s_and_the_connection_keeps_serving(string line, string error)
    {
        await using var wire = await _server.ConnectAsync();
        var answer = await wire.RequestAsync(line);
        Assert.Equal((400, error), (answer.Status(), answer.Error()));
        Assert.Equal(200, (await wire.RequestAsync("""{"command":"CHECKPOINT"}""")).Status());
    }

    [Fact]
    public async Task Operator_actions_are_entries_of_the_same_log()
    {
        // Four principals and four tokens were added before any registration.
        var registered = await RequestAsync(Requests.Register("first.example", "domain", _alice));
        Assert.Equal(8, registered.GetProperty("log_index").GetInt64());
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "repsec.db")};Pooling=False");
        connection.Open();
        using var actions = connection.CreateCommand();
        actions.CommandText = "SELECT action, type, actor FROM log_entries WHERE log_index < 8 ORDER BY log_index";
        using var reader = actions.ExecuteReader();
        var seen = new List<string>();
        while (reader.Read())
        {
            seen.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
        }

        Assert.Equal(4, seen.Count(s => s == "principal_add principal operator"));
        Assert.Equal(4, seen.Count(s => s == "token_issue principal operator"));
    }

    [Fact]
    public void The_log_key_is_private_to_the_server_and_its_verifier_key_is_published()
    {
        // Its file mode is checked with the other secrets (SecretsTests). The base64 key may itself hold '+'.
        var keyFile = Path.Combine(_server.DataDirectory, "log-key");
        Assert.StartsWith("PRIVATE+KEY+", File.ReadAllText(keyFile), StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(keyFile).Trim().Split('+', 5)[4], _server.Logs.All, StringComparison.Ordinal);
        Assert.Contains(PublishedKey, _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_edited_in_the_database_fails_verification_and_the_offline_check_and_an_edited_record_is_not_served()
    {
        var audit = await HistoryAsync("tamper.example", _auditor);
        Assert.Null(AuditProofs.Check(audit, PublishedKey, "tamper.example"));
        var first = audit.GetProperty("entries")[0].GetProperty("log_index").GetInt64();

        // The operator rewrites who registered it first, then also the commitment, then also the leaf.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "repsec.db")};Pooling=False");
        connection.Open();
        Execute(connection, $"UPDATE log_entries SET actor = 'mallory' WHERE log_index = {first}");
        Assert.Equal($"actor of {first}", AuditProofs.Check(await RequestAsync(Requests.Audit("tamper.example", _auditor)), PublishedKey, "tamper.example"));

        var forged = audit.GetProperty("entries")[0].GetProperty("opening").GetProperty("actor").GetBytesFromBase64();
        using (var update = connection.CreateCommand())
        {
            update.CommandText = $"UPDATE log_entries SET actor_commitment = $c WHERE log_index = {first}";
            update.Parameters.AddWithValue("$c", LogCommitment.Commit(forged, "mallory"));
            update.ExecuteNonQuery();
        }

        Assert.Equal($"inclusion of {first}", AuditProofs.Check(await RequestAsync(Requests.Audit("tamper.example", _auditor)), PublishedKey, "tamper.example"));
        Assert.False(SqliteLogAudit.Run(new SqliteDatabase(_server.DataDirectory)).Verified);

        // Editing the live record changes nothing the server serves, and the offline check names the record.
        Execute(connection, "UPDATE entities SET owner = 'mallory' WHERE key = 'tamper.example'");
        Assert.True((await RequestAsync(Requests.Verify("tamper.example"))).GetProperty("verified").GetBoolean());
        Assert.Contains(SqliteLogAudit.Run(new SqliteDatabase(_server.DataDirectory)).Problems,
            p => p.Contains("domain tamper.example no longer matches the log entry", StringComparison.Ordinal));
    }

    private static List<byte[]> Hashes(JsonElement answer, string name) =>
        [.. answer.GetProperty(name).EnumerateArray().Select(h => h.GetBytesFromBase64())];

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
