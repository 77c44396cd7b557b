using System.Text.Json.Nodes;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// Example responses from the RFCs (Rdap/Examples, copied from the figures; RFC 9537's wrapped JSONPath strings are
/// joined back into one line each).
/// </summary>
internal static class RdapExamples
{
    public static JsonObject Figure(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rdap", "Examples", name + ".json")))!.AsObject();

    /// <summary>
    /// RFC 9083 shows its object classes (figures 15 to 27) without the members only the topmost object carries;
    /// as a whole response the object gains rdapConformance (§4.1) and the terms-of-use notice of figure 7 (§4.3).
    /// </summary>
    public static JsonObject AsResponse(JsonObject instance, params string[] extensions)
    {
        var response = new JsonObject
        {
            ["rdapConformance"] = new JsonArray([.. new[] { "rdap_level_0" }.Concat(extensions).Select(e => JsonValue.Create(e))]),
            ["notices"] = new JsonArray(TermsOfUse()),
        };
        foreach (var (name, value) in instance)
        {
            response[name] = value?.DeepClone();
        }

        return response;
    }

    /// <summary>The notice of RFC 9083 figure 7.</summary>
    public static JsonObject TermsOfUse() => new()
    {
        ["title"] = "Terms of Use",
        ["description"] = new JsonArray("Service subject to The Registry of the Moon's TOS.", "Copyright (c) 2020 LunarNIC"),
        ["links"] = new JsonArray(new JsonObject
        {
            ["value"] = "https://example.net/entity/XXXX",
            ["rel"] = "alternate",
            ["type"] = "text/html",
            ["href"] = "https://www.example.com/terms_of_use.html",
        }),
    };

    public static JsonObject Domain() => AsResponse(Figure("rfc9083-figure24-domain-dnr"));

    public static JsonObject Entity() => AsResponse(Figure("rfc9083-figure17-entity-dnr"));

    public static JsonObject IpNetwork() => AsResponse(Figure("rfc9083-figure26-ip-network"));

    public static JsonObject Autnum() => AsResponse(Figure("rfc9083-figure27-autnum"));

    /// <summary>RFC 9083 §8 gives no complete entity search response; this one holds the entities of figures 15 and 17.</summary>
    public static JsonObject EntitySearch() => new()
    {
        ["rdapConformance"] = new JsonArray("rdap_level_0"),
        ["notices"] = new JsonArray(TermsOfUse()),
        ["entitySearchResults"] = new JsonArray(Figure("rfc9083-figure15-entity-rir"), Figure("rfc9083-figure17-entity-dnr")),
    };
}
