using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.References;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Loads the schema files shipped beside the test assembly. Every document, the root and each one reached by a
/// relative "$ref", goes through <see cref="SchemaKeywordRewriter"/> first, which is why the file references are
/// resolved here rather than by NJsonSchema's own file loader.
/// </summary>
internal sealed class RdapSchemaLoader
{
    private readonly HashSet<string> _formats = new(StringComparer.Ordinal);

    public static string SchemaDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Rdap", "Schemas");

    /// <summary>Every "format" value met in the documents loaded so far.</summary>
    public IReadOnlySet<string> Formats => _formats;

    public Task<JsonSchema> LoadAsync(string fileName) => LoadDocumentAsync(Path.Combine(SchemaDirectory, fileName), resolver: null);

    private async Task<JsonSchema> LoadDocumentAsync(string path, Resolver? resolver) =>
        await JsonSchema.FromJsonAsync(Prepare(path), path, root => resolver ?? new Resolver(this, root), CancellationToken.None);

    private string Prepare(string path)
    {
        var document = JObject.Parse(File.ReadAllText(path), new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
        _formats.UnionWith(SchemaKeywordRewriter.Rewrite(document, Path.GetFileName(path)));
        return document.ToString(Formatting.None);
    }

    // One resolver per root document, so each root gets its own copies of the documents it reaches and cycles
    // (entity -> entities -> entity) close on the copy already loaded.
    private sealed class Resolver(RdapSchemaLoader loader, JsonSchema root)
        : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
    {
        public override async Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            await loader.LoadDocumentAsync(filePath, this);
    }
}
