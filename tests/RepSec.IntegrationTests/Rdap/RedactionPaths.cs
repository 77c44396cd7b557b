using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Applies RFC 9537 redactions to a full (privileged) response, to check that an anonymous response is exactly
/// the full one with the redacted members withheld. Evaluates the JSONPath shapes RDAP redaction uses: member
/// names, array indexes and the filters <c>[?(@.roles[0]=='x')]</c>, <c>[?(@[0]=='x')]</c>, <c>[?(@[1].type=='x')]</c>.
/// </summary>
internal static partial class RedactionPaths
{
    public static void Apply(JsonNode full, JsonArray redactions)
    {
        foreach (var redaction in redactions)
        {
            var method = (string?)redaction!["method"] ?? "removal";
            var path = (string?)(redaction["prePath"] ?? redaction["postPath"]) ?? throw new InvalidOperationException("redaction without a path");
            var targets = Select(full, path);
            Assert.True(targets.Count > 0, $"redaction path {path} selects nothing in the full response");
            foreach (var (parent, key) in targets)
            {
                switch (method)
                {
                    case "removal" when parent is JsonObject o:
                        o.Remove((string)key);
                        break;
                    case "removal" when parent is JsonArray a:
                        a.RemoveAt((int)key);
                        break;
                    case "emptyValue" when parent is JsonArray a:
                        a[(int)key] = "";
                        break;
                    case "emptyValue" when parent is JsonObject o:
                        o[(string)key] = "";
                        break;
                    default:
                        throw new InvalidOperationException($"unexpected method {method}");
                }
            }
        }
    }

    /// <summary>The (parent, key) pairs a path selects, so the caller can remove or replace them.</summary>
    public static List<(JsonNode Parent, object Key)> Select(JsonNode root, string path)
    {
        Assert.StartsWith("$", path);
        var current = new List<(JsonNode? Parent, object? Key, JsonNode Node)> { (null, null, root) };
        foreach (Match step in Step().Matches(path[1..]))
        {
            var next = new List<(JsonNode?, object?, JsonNode)>();
            foreach (var (_, _, node) in current)
            {
                if (step.Groups["name"].Success && node is JsonObject o && o[step.Groups["name"].Value] is { } child)
                {
                    next.Add((o, step.Groups["name"].Value, child));
                }
                else if (step.Groups["index"].Success && node is JsonArray a && int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < a.Count)
                {
                    next.Add((a, i, a[i]!));
                }
                else if (step.Groups["filter"].Success && node is JsonArray items)
                {
                    for (var k = items.Count - 1; k >= 0; k--)
                    {
                        if (items[k] is { } item && Matches(item, step.Groups["filter"].Value, step.Groups["value"].Value))
                        {
                            next.Add((items, k, item));
                        }
                    }
                }
            }

            current = next;
        }

        return current.Where(c => c.Parent is not null).Select(c => (c.Parent!, c.Key!)).ToList();
    }

    private static bool Matches(JsonNode item, string filter, string value) => filter switch
    {
        "@.roles[0]" => item is JsonObject o && o["roles"] is JsonArray roles && roles.Count > 0 && (string?)roles[0] == value,
        "@[0]" => item is JsonArray a && a.Count > 0 && (string?)a[0] == value,
        "@[1].type" => item is JsonArray a && a.Count > 1 && a[1] is JsonObject p && (string?)p["type"] == value,
        _ => throw new InvalidOperationException($"unsupported filter {filter}"),
    };

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]|\[\?\((?<filter>@[^=]*)=='(?<value>[^']*)'\)\]")]
    private static partial Regex Step();
}
