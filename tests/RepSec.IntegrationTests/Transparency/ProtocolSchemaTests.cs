using System.Text.Json;
using NJsonSchema;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Transparency;

/// <summary>
/// The JSON schemas in docs/schemas (the transparency and reputation extensions' commands) hold for what the server
/// really sends and accepts.
/// </summary>
public sealed class ProtocolSchemaTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> ValidateAsync(string schema, string json) =>
        (await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Transparency", "Schemas", schema + ".json"))))
            .Validate(json);

    [Fact]
    public async Task Requests_and_answers_match_their_schemas_and_broken_ones_do_not()
    {
        var token = await _server.IssueTokenAsync("audra", Role.Admin);
        await using var wire = await _server.ConnectAsync();
        foreach (var name in new[] { "s1.example", "s2.example", "s3.example" })
        {
            Assert.Equal(200, (await wire.RequestAsync(Requests.Register(name, "domain", token))).Status());
        }

        await wire.RequestAsync(Requests.Remove("s2.example", token));
        string[][] exchanges =
        [
            ["checkpoint", """{"command":"CHECKPOINT","id":1}"""],
            ["inclusion_proof", """{"command":"inclusion_proof","index":2}"""],
            ["inclusion_proof", """{"command":"INCLUSION_PROOF","index":0,"tree_size":3}"""],
            ["consistency_proof", """{"command":"CONSISTENCY_PROOF","from":1}"""],
            ["consistency_proof", """{"command":"CONSISTENCY_PROOF","from":0,"to":3}"""],
        ];
        foreach (var exchange in exchanges)
        {
            Assert.Empty(await ValidateAsync(exchange[0] + "-request", exchange[1]));
            var answer = await wire.RequestAsync(exchange[1]);
            Assert.Equal(200, answer.Status());
            Assert.Empty(await ValidateAsync(exchange[0] + "-response", answer.GetRawText()));
        }

        var audit = (await wire.RequestAsync(Requests.Audit("s2.example", token))).GetRawText();
        Assert.Empty(await ValidateAsync("audit-response", audit));

        // The schemas can fail: a short hash, a missing proof, a malformed note.
        Assert.NotEmpty(await ValidateAsync("audit-response", audit.Replace("\"inclusion\":", "\"inclusion_\":", StringComparison.Ordinal)));
        Assert.NotEmpty(await ValidateAsync("checkpoint-response", """{"status":200,"message":"x","checkpoint":"no","origin":"o","tree_size":1,"root":"AAAA"}"""));
        Assert.NotEmpty(await ValidateAsync("inclusion_proof-request", """{"command":"INCLUSION_PROOF","index":-1}"""));
    }

    [Fact]
    public async Task Reputation_requests_and_answers_match_their_schemas_and_broken_ones_do_not()
    {
        var alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        var admin = await _server.IssueTokenAsync("root", Role.Admin);
        await using var wire = await _server.ConnectAsync();
        static string Write(string token, object members)
        {
            var request = JsonSerializer.SerializeToNode(members)!.AsObject();
            request["auth"] = token;
            request["nonce"] = Requests.Nonce();
            request["timestamp"] = Requests.Now();
            return request.ToJsonString();
        }

        async Task<string> ExchangeAsync(string schema, string request)
        {
            Assert.Empty(await ValidateAsync(schema + "-request", request));
            var answer = await wire.RequestAsync(request);
            Assert.True(answer.Status() == 200, answer.GetRawText());
            Assert.Empty(await ValidateAsync(schema + "-response", answer.GetRawText()));
            return answer.GetRawText();
        }

        var report = await ExchangeAsync("report", Write(alice, new
        {
            command = "REPORT", entity = "bad.example", assertion = "spam", rating = 0.9, confidence = 0.5, categories = new[] { "botnet" },
            evidence = "x", expires = Requests.Now(30 * 86_400),
        }));
        await ExchangeAsync("report", Write(alice, new { command = "report", entity = "192.0.2.1", type = "ip", assertion = "abuse", rating = 1 }));
        await ExchangeAsync("allowlist", Write(admin, new { command = "ALLOWLIST", entity = "192.0.2.1", action = "add", reason = "ours" }));
        var view = await ExchangeAsync("reputation", """{"command":"REPUTATION","entity":"bad.example","reports":true,"id":"r"}""");
        var allowlisted = await ExchangeAsync("reputation", """{"command":"reputation","entity":"192.0.2.1"}""");
        await ExchangeAsync("reputation", """{"command":"REPUTATION","entity":"nobody.example"}""");
        await ExchangeAsync("changes", """{"command":"CHANGES","limit":1}""");
        await ExchangeAsync("changes", """{"command":"CHANGES","cursor":""}""");
        var id = JsonDocument.Parse(report).RootElement.GetProperty("report_id").GetInt64();
        await ExchangeAsync("withdraw", Write(alice, new { command = "WITHDRAW", report = id }));
        await ExchangeAsync("allowlist", Write(admin, new { command = "ALLOWLIST", entity = "192.0.2.1", type = "ip", action = "remove" }));
        await ExchangeAsync("trust", Write(admin, new { command = "TRUST", principal = "alice", trust = 0.5 }));
        await ExchangeAsync("trust", Write(admin, new { command = "TRUST" }));

        // The schemas can fail: a rating above 1, an addition without a reason, trust without a principal, an
        // allowlisted view without its entry, a listed report without its reporter member, an empty cursor.
        Assert.NotEmpty(await ValidateAsync("report-request", Write(alice, new { command = "REPORT", entity = "x.example", assertion = "spam", rating = 1.5 })));
        Assert.NotEmpty(await ValidateAsync("allowlist-request", Write(admin, new { command = "ALLOWLIST", entity = "x.example", action = "add" })));
        Assert.NotEmpty(await ValidateAsync("trust-request", Write(admin, new { command = "TRUST", trust = 0.5 })));
        Assert.NotEmpty(await ValidateAsync("reputation-response", allowlisted.Replace("\"allowlisted\":true", "\"allowlisted\":false", StringComparison.Ordinal)));
        Assert.NotEmpty(await ValidateAsync("reputation-response", view.Replace("\"reporter\":", "\"reporter_\":", StringComparison.Ordinal)));
        Assert.NotEmpty(await ValidateAsync("changes-response", """{"status":200,"message":"x","changes":[],"cursor":"","more":false}"""));
    }
}
