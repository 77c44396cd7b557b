using Newtonsoft.Json.Linq;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Rewrites a draft-07 schema document into the keywords NJsonSchema 11 evaluates, without changing what it accepts.
/// NJsonSchema silently ignores <c>const</c>, <c>contains</c> and <c>dependencies</c>; the RDAP schemas rely on all
/// three (objectClassName is a <c>const</c>, a jCard must <c>contain</c> "fn", an event with links needs an actor),
/// so left alone they would pass responses they exist to reject.
/// </summary>
internal static class SchemaKeywordRewriter
{
    // Assertions NJsonSchema evaluates itself; kept as they are.
    private static readonly HashSet<string> Assertions =
    [
        "type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "required",
    ];

    // Draft-07 keywords with no equivalent rewrite here; a schema that starts using one must fail to load, not pass everything.
    private static readonly HashSet<string> Unsupported = ["if", "then", "else", "propertyNames"];

    /// <summary>Rewrites <paramref name="document"/> in place and returns the format names it uses.</summary>
    public static IReadOnlySet<string> Rewrite(JObject document, string name)
    {
        var formats = new HashSet<string>(StringComparer.Ordinal);
        RewriteSchema(document, $"{name}#", formats, isRoot: true);
        return formats;
    }

    private static void RewriteSchema(JObject schema, string location, HashSet<string> formats, bool isRoot)
    {
        // Draft-07 ignores every sibling of "$ref"; NJsonSchema would not, so keep the reference alone.
        if (schema.ContainsKey("$ref"))
        {
            foreach (var sibling in schema.Properties().Where(p => p.Name != "$ref").ToList())
            {
                sibling.Remove();
            }

            return;
        }

        var added = new List<JObject>();
        foreach (var property in schema.Properties().ToList())
        {
            var at = $"{location}/{property.Name}";
            switch (property.Name)
            {
                case "properties" or "patternProperties" or "definitions":
                    foreach (var member in Object(property, at).Properties())
                    {
                        RewriteSchema(Object(member, $"{at}/{member.Name}"), $"{at}/{member.Name}", formats, isRoot: false);
                    }

                    break;
                case "allOf" or "anyOf" or "oneOf":
                    RewriteEach(property, at, formats);
                    break;
                case "items" when property.Value is JArray:
                    RewriteEach(property, at, formats);
                    break;
                case "items" or "not":
                    RewriteSchema(Object(property, at), at, formats, isRoot: false);
                    break;
                case "additionalItems" or "additionalProperties" when property.Value is JObject nested:
                    RewriteSchema(nested, at, formats, isRoot: false);
                    break;
                case "additionalItems" or "additionalProperties":
                    break;
                case "const":
                    if (schema.ContainsKey("enum"))
                    {
                        throw new NotSupportedException($"{at}: const next to enum");
                    }

                    property.Replace(new JProperty("enum", new JArray(property.Value)));
                    break;
                case "contains":
                    // "some item matches S" is "not (an array whose items all fail S)"; non-arrays pass either way.
                    var item = Object(property, at);
                    RewriteSchema(item, at, formats, isRoot: false);
                    added.Add(new JObject { ["not"] = new JObject { ["type"] = "array", ["items"] = new JObject { ["not"] = item } } });
                    property.Remove();
                    break;
                case "dependencies":
                    added.AddRange(Dependencies(Object(property, at), at, formats));
                    property.Remove();
                    break;
                case "format":
                    formats.Add((string?)property.Value ?? throw new NotSupportedException($"{at}: format is not a string"));
                    break;
                case "$schema" when isRoot:
                    break;
                case var keyword when Unsupported.Contains(keyword):
                    throw new NotSupportedException($"{at}: draft-07 keyword '{keyword}' is not evaluated by NJsonSchema and has no rewrite");
                case var keyword when Assertions.Contains(keyword):
                    break;
                default:
                    // Annotations, "$id" (documents are addressed by file name; jcard.json's nested "$id": "vcardArray"
                    // would otherwise re-base its "#/definitions/vcard" onto a resource without definitions) and the
                    // vendor's own keywords (errorCode, validationName, hyper-schema links, ...), none of them assertions.
                    property.Remove();
                    break;
            }
        }

        if (added.Count > 0)
        {
            if (schema["allOf"] is not JArray allOf)
            {
                schema["allOf"] = allOf = [];
            }

            foreach (var extra in added)
            {
                allOf.Add(extra);
            }
        }
    }

    // "dependencies": {"a": ["b"]} means: either "a" is absent, or "b" is present (or the object matches a schema).
    private static IEnumerable<JObject> Dependencies(JObject dependencies, string location, HashSet<string> formats)
    {
        foreach (var dependency in dependencies.Properties())
        {
            JObject consequence;
            if (dependency.Value is JArray names)
            {
                consequence = new JObject { ["required"] = names.DeepClone() };
            }
            else
            {
                consequence = Object(dependency, $"{location}/{dependency.Name}");
                RewriteSchema(consequence, $"{location}/{dependency.Name}", formats, isRoot: false);
            }

            var absent = new JObject { ["not"] = new JObject { ["required"] = new JArray(dependency.Name) } };
            yield return new JObject { ["anyOf"] = new JArray(absent, consequence) };
        }
    }

    private static void RewriteEach(JProperty property, string location, HashSet<string> formats)
    {
        var index = 0;
        foreach (var element in (JArray)property.Value)
        {
            var at = $"{location}/{index++}";
            RewriteSchema(element as JObject ?? throw new NotSupportedException($"{at}: not a schema object"), at, formats, isRoot: false);
        }
    }

    private static JObject Object(JProperty property, string location) =>
        property.Value as JObject ?? throw new NotSupportedException($"{location}: not a schema object");
}
