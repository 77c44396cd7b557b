using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>Every schema the harness applies, loaded once. Validation only reads the loaded schemas.</summary>
internal sealed class RdapSchemaSet
{
    private const string JCardCategoriesFile = "jcard_categories.json";
    private const string ExtensionCategoryKey = "x-[a-z0-9-]*";

    private readonly Dictionary<RdapSchema, JsonSchema> _roots;
    private readonly Dictionary<string, JsonSchema> _jCardProperties;
    private readonly JsonSchema? _jCardExtensionProperty;

    private RdapSchemaSet(Dictionary<RdapSchema, JsonSchema> roots, JsonSchema conformance, Dictionary<string, JsonSchema> jCardProperties)
    {
        _roots = roots;
        Conformance = conformance;
        _jCardExtensionProperty = jCardProperties.GetValueOrDefault(ExtensionCategoryKey);
        jCardProperties.Remove(ExtensionCategoryKey);
        _jCardProperties = jCardProperties;
    }

    /// <summary>rdap_conformance.json: what the topmost rdapConformance array must hold.</summary>
    public JsonSchema Conformance { get; }

    public JsonSchema Root(RdapSchema schema) => _roots[schema];

    /// <summary>The jcard_categories.json schema for a jCard property name (RFC 6350 names are case-insensitive), or null if none.</summary>
    public JsonSchema? JCardProperty(string name) =>
        _jCardProperties.GetValueOrDefault(name.ToLowerInvariant())
        ?? (name.StartsWith("x-", StringComparison.OrdinalIgnoreCase) ? _jCardExtensionProperty : null);

    public static async Task<RdapSchemaSet> LoadAsync()
    {
        var loader = new RdapSchemaLoader();
        var roots = new Dictionary<RdapSchema, JsonSchema>();
        foreach (var schema in Enum.GetValues<RdapSchema>())
        {
            roots[schema] = await loader.LoadAsync(schema.FileName());
        }

        var conformance = await loader.LoadAsync("rdap_conformance.json");

        // The loader files referenced schemas into the root's definitions under generated names, so the category
        // names are read from the file itself.
        var categories = await loader.LoadAsync(JCardCategoriesFile);
        var names = ((JObject)JObject.Parse(await File.ReadAllTextAsync(Path.Combine(RdapSchemaLoader.SchemaDirectory, JCardCategoriesFile)))["definitions"]!)
            .Properties().Select(p => p.Name);
        var jCardProperties = names.ToDictionary(name => name, name => categories.Definitions[name], StringComparer.Ordinal);

        var unknown = loader.Formats.Except(RdapFormats.Names).ToList();
        if (unknown.Count > 0)
        {
            // An unknown format would be skipped silently by NJsonSchema, i.e. always pass.
            throw new NotSupportedException($"the RDAP schemas use formats without a check: {string.Join(", ", unknown)}");
        }

        return new RdapSchemaSet(roots, conformance, jCardProperties);
    }

    /// <summary>Validates <paramref name="token"/> against <paramref name="schema"/>; paths in the errors are the token's own.</summary>
    public static IEnumerable<string> Validate(JToken token, JsonSchema schema) =>
        new JsonSchemaValidator(RdapFormats.CreateSettings()).Validate(token, schema).SelectMany(SchemaErrorText.Describe);
}
