using NJsonSchema;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Transparency;

/// <summary>The transparency commands' JSON schemas in docs/schemas hold for what the server really sends and accepts.</summary>
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
}
