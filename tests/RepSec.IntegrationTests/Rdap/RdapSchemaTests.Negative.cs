using System.Text.Json.Nodes;
using static RepSec.IntegrationTests.Rdap.RdapExamples;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>Each test breaks one thing in a valid example and expects the finding at that place.</summary>
public sealed partial class RdapSchemaTests
{
    [Fact]
    public async Task Wrong_object_class_name_is_rejected()
    {
        var entity = Entity();
        entity["objectClassName"] = "domain";
        var domain = Domain();
        domain["entities"]![0]!["objectClassName"] = "registrant";

        Assert.Contains("$.objectClassName: \"domain\" is not one of \"entity\"", await ErrorsAsync(RdapSchema.Entity, entity));
        Assert.Contains("$.entities[0].objectClassName: \"registrant\" is not one of \"entity\"", await ErrorsAsync(RdapSchema.Domain, domain));
    }

    [Fact]
    public async Task Missing_object_class_name_is_rejected()
    {
        var ipNetwork = IpNetwork();
        ipNetwork.Remove("objectClassName");
        ipNetwork["entities"]![0]!.AsObject().Remove("objectClassName");

        var errors = await ErrorsAsync(RdapSchema.IpNetwork, ipNetwork);

        Assert.Equal(["$: RFC 9083 §4.9: objectClassName is missing", "$.entities[0]: RFC 9083 §4.9: objectClassName is missing"], errors);
    }

    [Fact]
    public async Task Unknown_role_is_rejected()
    {
        var domain = Domain();
        domain["entities"]![0]!["roles"] = new JsonArray("registrant", "owner");

        Assert.Contains("$.entities[0].roles[1]: \"owner\" is not a registered RDAP role", await ErrorsAsync(RdapSchema.Domain, domain));
    }

    [Fact]
    public async Task Unknown_status_is_rejected()
    {
        // "redacted" is no status value: RFC 9537 marks withheld data with the "redacted" member instead.
        var domain = Domain();
        domain["status"] = new JsonArray("locked", "redacted");

        Assert.Contains("$.status[1]: \"redacted\" is not a registered RDAP status", await ErrorsAsync(RdapSchema.Domain, domain));
    }

    [Fact]
    public async Task Unknown_event_action_is_rejected()
    {
        var autnum = Autnum();
        autnum["events"]![0]!["eventAction"] = "created";

        Assert.Contains("$.events[0].eventAction: \"created\" is not a registered RDAP event action", await ErrorsAsync(RdapSchema.Autnum, autnum));
    }

    [Fact]
    public async Task Malformed_event_date_is_rejected()
    {
        var autnum = Autnum();
        autnum["events"]![1]!["eventDate"] = "1991-12-31 23:59:59";

        Assert.Contains("$.events[1].eventDate: \"1991-12-31 23:59:59\" is not an RFC 3339 date-time", await ErrorsAsync(RdapSchema.Autnum, autnum));
    }

    [Fact]
    public async Task Jcard_without_fn_is_rejected()
    {
        var entity = Entity();
        var properties = entity["vcardArray"]![1]!.AsArray();
        properties.RemoveAt(properties.ToList().FindIndex(p => (string?)p![0] == "fn"));

        Assert.Contains("$.vcardArray[1]: no element matches what the array must contain", await ErrorsAsync(RdapSchema.Entity, entity));
    }

    [Fact]
    public async Task Jcard_with_a_malformed_property_is_rejected()
    {
        var entity = Entity();
        var properties = entity["vcardArray"]![1]!.AsArray();
        properties.Add(new JsonArray("tel", new JsonObject(), "uri"));
        properties.Add(new JsonArray("email", new JsonObject(), "text", "not an address"));
        properties.Add(new JsonArray("favourite-colour", new JsonObject(), "text", "blue"));

        var errors = await ErrorsAsync(RdapSchema.Entity, entity);

        Assert.Contains("$.vcardArray[1][11]: RFC 7095 §3.3: a jCard property is [name, parameters, type, value...]", errors);
        Assert.Contains(errors, e => e.Contains("$.vcardArray[1][12][3]: \"not an address\" is not an email address", StringComparison.Ordinal));
        Assert.Contains("$.vcardArray[1][13]: jCard property \"favourite-colour\" is neither in jcard_categories.json nor an x-name", errors);
    }

    [Fact]
    public async Task Jcard_whose_first_property_is_not_version_is_rejected()
    {
        var entity = Entity();
        var properties = entity["vcardArray"]![1]!.AsArray();
        var version = properties[0]!;
        properties.RemoveAt(0);
        properties.Add(version);

        Assert.Contains("$.vcardArray[1][0][0]: \"fn\" is not one of \"version\"", await ErrorsAsync(RdapSchema.Entity, entity));
    }

    [Fact]
    public async Task Bad_rdap_conformance_entries_are_rejected()
    {
        var unregistered = Domain();
        unregistered["rdapConformance"] = new JsonArray("rdap_level_0", "lunarNIC_level_0");
        var withoutLevel0 = Domain();
        withoutLevel0["rdapConformance"] = new JsonArray("redacted");
        var nested = Domain();
        nested["entities"]![0]!["rdapConformance"] = new JsonArray("rdap_level_0");

        Assert.Contains(await ErrorsAsync(RdapSchema.Domain, unregistered),
            e => e.StartsWith("$.rdapConformance[1]: \"lunarNIC_level_0\" is not a registered RDAP extension identifier", StringComparison.Ordinal));
        Assert.Contains(await ErrorsAsync(RdapSchema.Domain, withoutLevel0),
            e => e.StartsWith("$.rdapConformance: no element matches what the array must contain", StringComparison.Ordinal));
        Assert.Contains("$.entities[0].rdapConformance: RFC 9083 §4.1, §4.3: only the topmost object carries rdapConformance",
            await ErrorsAsync(RdapSchema.Domain, nested));
    }

    [Fact]
    public async Task Link_without_href_or_value_is_rejected()
    {
        var withoutHref = Domain();
        withoutHref["links"]![0]!.AsObject().Remove("href");
        var withoutValue = Domain();
        withoutValue["notices"]![0]!["links"]![0]!.AsObject().Remove("value");

        Assert.Contains("$.links[0].href: required member \"href\" is missing", await ErrorsAsync(RdapSchema.Domain, withoutHref));
        Assert.Equal(["$.notices[0].links[0]: RFC 9083 §4.2: link has no \"value\""], await ErrorsAsync(RdapSchema.Domain, withoutValue));
    }

    [Fact]
    public async Task Invalid_ipv4_start_address_is_rejected()
    {
        var ipNetwork = AsResponse(Figure("rfc9083-figure13-ip-network-with-lang"));
        ipNetwork.Remove("lang");
        ipNetwork["startAddress"] = "192.0.2.256";

        Assert.Contains(await ErrorsAsync(RdapSchema.IpNetwork, ipNetwork), e => e.StartsWith("$.startAddress: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_notices_are_checked()
    {
        var error = Figure("rfc9083-figure29-error");
        error["notices"]![0]!.AsObject().Remove("description");

        Assert.Contains("$.notices[0].description: required member \"description\" is missing", await ErrorsAsync(RdapSchema.Error, error));
    }

    [Fact]
    public async Task Undeclared_redacted_member_is_rejected()
    {
        var redacted = Figure("rfc9537-figure12-domain-redacted");
        redacted["rdapConformance"] = new JsonArray("rdap_level_0");

        Assert.Equal(["$.rdapConformance: RFC 9537 §4.1: a response with \"redacted\" members must declare \"redacted\""],
            await ErrorsAsync(RdapSchema.Domain, redacted));
    }

    [Fact]
    public async Task Redacted_entries_are_checked()
    {
        var redacted = Figure("rfc9537-figure12-domain-redacted");
        redacted["redacted"]![0]!["name"] = new JsonObject();
        redacted["redacted"]![1]!["prePath"] = "$.handle";

        var errors = await ErrorsAsync(RdapSchema.Domain, redacted);

        Assert.Contains("$.redacted[0].name: {} matches none of the anyOf alternatives:", errors);
        Assert.Contains("$.redacted[1]: must not have all of prePath, postPath", errors);
    }
}
