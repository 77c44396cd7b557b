using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Validates RDAP response bodies: the RDAP JSON schemas (Rdap/Schemas) for the response kind, then the RFC 9083 /
/// RFC 9537 requirements those schemas leave out (<see cref="RdapRfcChecks"/>).
/// </summary>
internal static class RdapSchemas
{
    // Loaded on first use, once per process; the Lazy serializes concurrent first callers.
    private static readonly Lazy<Task<RdapSchemaSet>> Schemas = new(RdapSchemaSet.LoadAsync);

    /// <summary>Every finding about <paramref name="json"/> as a response of kind <paramref name="schema"/>; empty when valid.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(RdapSchema schema, string json)
    {
        var schemas = await Schemas.Value;
        if (Parse(json) is not { } document)
        {
            return ["$: not a JSON text (RFC 8259) with unique member names"];
        }

        if (document is not JObject root)
        {
            return [$"$: an RDAP response is a JSON object, not {document.Type}"];
        }

        var errors = new List<string>();
        errors.AddRange(RdapSchemaSet.Validate(RdapRfcChecks.WithoutExtensionMembers(root), schemas.Root(schema)));
        errors.AddRange(RdapRfcChecks.Check(schema, root, schemas));
        return errors;
    }

    /// <summary>Fails the test with every finding and the response itself unless <paramref name="json"/> is valid.</summary>
    public static async Task AssertValidAsync(RdapSchema schema, string json)
    {
        var errors = await ValidateAsync(schema, json);
        if (errors.Count > 0)
        {
            Assert.Fail($"RDAP {schema} response has {errors.Count} validation error(s):\n  {string.Join("\n  ", errors)}\nresponse:\n{json}");
        }
    }

    private static JToken? Parse(string json)
    {
        try
        {
            // Newtonsoft tolerates comments, single quotes and bare names; System.Text.Json holds to RFC 8259.
            using (System.Text.Json.JsonDocument.Parse(json))
            {
            }

            // Dates stay strings, so "format" checks see the text the server sent; duplicate names are an error.
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            return JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or JsonReaderException)
        {
            return null;
        }
    }
}
