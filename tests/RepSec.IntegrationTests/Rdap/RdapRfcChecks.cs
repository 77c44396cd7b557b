using System.Net;
using Newtonsoft.Json.Linq;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// RFC requirements the schemas leave out, checked over the whole response. Each message names the section it
/// enforces, so a failure can be told apart from a schema finding.
/// </summary>
internal static class RdapRfcChecks
{
    // Members whose elements are object class instances (RFC 9083 §5, §8); each needs an objectClassName (§4.9).
    private static readonly HashSet<string> ObjectArrays =
        ["entities", "nameservers", "networks", "autnums", "domainSearchResults", "entitySearchResults", "nameserverSearchResults"];

    public static IReadOnlyList<string> Check(RdapSchema kind, JObject root, RdapSchemaSet schemas)
    {
        var errors = new List<string>();
        var objects = root.DescendantsAndSelf().OfType<JObject>().ToList();
        var members = objects.SelectMany(o => o.Properties()).ToList();

        if (root["rdapConformance"] is { } conformance)
        {
            errors.AddRange(RdapSchemaSet.Validate(conformance, schemas.Conformance).Select(e => $"{e} (rdap_conformance.json)"));
        }
        else
        {
            errors.Add("$: RFC 9083 §4.1: the topmost object has no rdapConformance");
        }

        foreach (var nested in members.Where(m => m.Parent != root && m.Name is "rdapConformance" or "notices"))
        {
            errors.Add($"{At(nested.Value)}: RFC 9083 §4.1, §4.3: only the topmost object carries {nested.Name}");
        }

        if (kind.ObjectClassName() is not null && !root.ContainsKey("objectClassName"))
        {
            errors.Add("$: RFC 9083 §4.9: objectClassName is missing");
        }

        foreach (var instance in members.Where(m => ObjectArrays.Contains(m.Name)).SelectMany(m => m.Value.Children<JObject>()))
        {
            if (!instance.ContainsKey("objectClassName"))
            {
                errors.Add($"{At(instance)}: RFC 9083 §4.9: objectClassName is missing");
            }
        }

        // The schema requires only "href"; RFC 9083 requires all three.
        foreach (var link in members.Where(m => m.Name == "links").SelectMany(m => m.Value.Children<JObject>()))
        {
            errors.AddRange(new[] { "value", "rel" }.Where(name => !link.ContainsKey(name))
                .Select(name => $"{At(link)}: RFC 9083 §4.2: link has no \"{name}\""));
        }

        if (members.Any(m => m.Name == "redacted") && !Identifiers(root).Contains("redacted"))
        {
            errors.Add("$.rdapConformance: RFC 9537 §4.1: a response with \"redacted\" members must declare \"redacted\"");
        }

        foreach (var ldhName in members.Where(m => m.Name == "ldhName" && m.Value.Type == JTokenType.String))
        {
            if (!((string)ldhName.Value!).All(char.IsAscii))
            {
                errors.Add($"{At(ldhName.Value)}: RFC 9083 §3: an ldhName holds A-labels, not U-labels: {ldhName.Value}");
            }
        }

        foreach (var vcard in members.Where(m => m.Name == "vcardArray").SelectMany(m => m.Value.Children<JArray>()))
        {
            errors.AddRange(JCardProperties(vcard, schemas));
        }

        errors.AddRange(objects.Where(o => Text(o["objectClassName"]) == "ip network").SelectMany(IpNetwork));
        errors.AddRange(objects.Where(o => Text(o["objectClassName"]) == "autnum").SelectMany(Autnum));
        return errors;
    }

    /// <summary>
    /// A copy of the response without extension members: those named "{identifier}_..." for an identifier the
    /// response declares in rdapConformance (RFC 9083 §2.1, e.g. repsec_verified, paging_metadata). The upstream
    /// schemas forbid unknown members, which would reject every properly declared extension; undeclared prefixes are
    /// left in place and still fail.
    /// </summary>
    public static JObject WithoutExtensionMembers(JObject root)
    {
        var prefixes = Identifiers(root).Select(id => id + "_").ToList();
        var copy = (JObject)root.DeepClone();
        var extensions = copy.DescendantsAndSelf().OfType<JObject>().SelectMany(o => o.Properties())
            .Where(p => prefixes.Any(prefix => p.Name.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        foreach (var member in extensions)
        {
            member.Remove();
        }

        return copy;
    }

    // RFC 9083 §5.4 gives these members a syntax the schema leaves at "type": "string".
    private static IEnumerable<string> IpNetwork(JObject network)
    {
        var version = Text(network["ipVersion"]);
        if (network.ContainsKey("ipVersion") && version is not ("v4" or "v6"))
        {
            yield return $"{At(network["ipVersion"]!)}: RFC 9083 §5.4: ipVersion is \"v4\" or \"v6\"";
        }

        var addresses = new List<IPAddress>();
        foreach (var name in new[] { "startAddress", "endAddress" })
        {
            if (Text(network[name]) is not { } text)
            {
                continue;
            }

            var valid = version switch
            {
                "v4" => TextSyntax.IsIpv4(text),
                "v6" => TextSyntax.IsIpv6(text),
                _ => TextSyntax.IsIpv4(text) || TextSyntax.IsIpv6(text),
            };
            if (valid)
            {
                addresses.Add(IPAddress.Parse(text));
            }
            else
            {
                yield return $"{At(network[name]!)}: RFC 9083 §3, §5.4: \"{text}\" is not an {(version == "v6" ? "IPv6" : version == "v4" ? "IPv4" : "IP")} address";
            }
        }

        if (addresses is [var start, var end] && (start.AddressFamily != end.AddressFamily
            || start.GetAddressBytes().AsSpan().SequenceCompareTo(end.GetAddressBytes()) > 0))
        {
            yield return $"{At(network)}: RFC 9083 §5.4: startAddress {start} and endAddress {end} do not bound a range";
        }

        foreach (var error in Country(network))
        {
            yield return error;
        }
    }

    // RFC 9083 §5.5: autnums are unsigned 32-bit numbers; the schema says "integer".
    private static IEnumerable<string> Autnum(JObject autnum)
    {
        var numbers = new List<long>();
        foreach (var name in new[] { "startAutnum", "endAutnum" })
        {
            if (autnum[name] is { Type: JTokenType.Integer } token)
            {
                if ((long)token is >= 0 and <= uint.MaxValue)
                {
                    numbers.Add((long)token);
                }
                else
                {
                    yield return $"{At(token)}: RFC 9083 §5.5: {token} is not an unsigned 32-bit number";
                }
            }
        }

        if (numbers is [var start, var end] && start > end)
        {
            yield return $"{At(autnum)}: RFC 9083 §5.5: startAutnum {start} is above endAutnum {end}";
        }

        foreach (var error in Country(autnum))
        {
            yield return error;
        }
    }

    // RFC 9083 §3, §5.4, §5.5: a two-character ISO 3166 code. Upstream defines this pattern but does not apply it.
    private static IEnumerable<string> Country(JObject instance)
    {
        if (Text(instance["country"]) is { } country && !(country.Length == 2 && country.All(char.IsAsciiLetterUpper)))
        {
            yield return $"{At(instance["country"]!)}: RFC 9083 §5.4, §5.5: \"{country}\" is not a two-letter country code";
        }
    }

    // jcard.json checks the shape of a jCard; jcard_categories.json has the rules of each property.
    private static IEnumerable<string> JCardProperties(JArray vcard, RdapSchemaSet schemas)
    {
        foreach (var property in vcard.Children<JArray>())
        {
            // RFC 7095 §3.3: name, parameters, value type, then one or more values. The schemas' tuples do not
            // require a length, so a property without a value would pass them.
            if (property.Count < 4 || property[0]!.Type != JTokenType.String || property[1]!.Type != JTokenType.Object || property[2]!.Type != JTokenType.String)
            {
                yield return $"{At(property)}: RFC 7095 §3.3: a jCard property is [name, parameters, type, value...]";
                continue;
            }

            var name = (string)property[0]!;
            if (name != name.ToLowerInvariant())
            {
                yield return $"{At(property[0]!)}: RFC 7095 §3.3.1: jCard property names are lowercase";
            }

            if (schemas.JCardProperty(name) is not { } schema)
            {
                yield return $"{At(property)}: jCard property \"{name}\" is neither in jcard_categories.json nor an x-name";
                continue;
            }

            foreach (var error in RdapSchemaSet.Validate(property, schema))
            {
                yield return $"{error} (jcard_categories.json \"{name}\")";
            }
        }
    }

    private static HashSet<string> Identifiers(JObject root) =>
        (root["rdapConformance"] as JArray)?.Where(t => t.Type == JTokenType.String).Select(t => (string)t!).ToHashSet(StringComparer.Ordinal) ?? [];

    private static string? Text(JToken? token) => token?.Type == JTokenType.String ? (string?)token : null;

    private static string At(JToken token) => SchemaErrorText.JsonPath(token.Path);
}
