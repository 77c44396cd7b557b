using System.Text.Json.Nodes;
using static RepSec.IntegrationTests.Rdap.RdapExamples;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>The validation harness itself: RFC examples pass, and each kind of defect is caught where it is.</summary>
public sealed partial class RdapSchemaTests
{
    [Fact]
    public async Task Domain_with_entities_jcard_events_notices_and_links_is_valid()
    {
        var domain = Domain();

        Assert.NotEmpty(domain["entities"]!.AsArray());
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, domain.ToJsonString());
    }

    [Fact]
    public async Task Entities_of_an_rir_and_a_dnr_are_valid()
    {
        await RdapSchemas.AssertValidAsync(RdapSchema.Entity, AsResponse(Figure("rfc9083-figure15-entity-rir")).ToJsonString());
        await RdapSchemas.AssertValidAsync(RdapSchema.Entity, Entity().ToJsonString());
    }

    [Fact]
    public async Task Ip_network_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.IpNetwork, IpNetwork().ToJsonString());

    [Fact]
    public async Task Autnum_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.Autnum, Autnum().ToJsonString());

    [Fact]
    public async Task Error_with_conformance_and_notices_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, Figure("rfc9083-figure29-error").ToJsonString());

    [Fact]
    public async Task Help_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.Help, Figure("rfc9083-figure30-help").ToJsonString());

    [Fact]
    public async Task Entity_search_result_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.EntitySearch, EntitySearch().ToJsonString());

    [Fact]
    public async Task Domain_with_redacted_members_is_valid()
    {
        var redacted = Figure("rfc9537-figure12-domain-redacted");

        Assert.Equal(14, redacted["redacted"]!.AsArray().Count);
        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, redacted.ToJsonString());
    }

    [Fact]
    public async Task Domain_search_result_with_redacted_members_is_valid() =>
        await RdapSchemas.AssertValidAsync(RdapSchema.DomainSearch, Figure("rfc9537-figure14-domain-search-redacted").ToJsonString());

    [Fact]
    public async Task Declared_extension_members_are_accepted_and_undeclared_ones_rejected()
    {
        var declared = AsResponse(Figure("rfc9083-figure24-domain-dnr"), "repsec");
        declared["repsec_verified"] = true;
        var undeclared = Domain();
        undeclared["repsec_verified"] = true;

        await RdapSchemas.AssertValidAsync(RdapSchema.Domain, declared.ToJsonString());
        Assert.Contains("$.repsec_verified: member \"repsec_verified\" is not allowed here", await ErrorsAsync(RdapSchema.Domain, undeclared));
    }

    /// <summary>
    /// RFC 9083 figure 13 is a valid RDAP response, but upstream rdap_ip_network.json lists no "lang" member and forbids
    /// unknown ones, although §4.4 lets "lang" appear in any object. The harness keeps the schema's verdict: the
    /// server must not put "lang" on ip network (or autnum, same omission) objects.
    /// </summary>
    [Fact]
    public async Task Schema_quirk_ip_network_may_not_carry_lang()
    {
        var errors = await ErrorsAsync(RdapSchema.IpNetwork, Figure("rfc9083-figure13-ip-network-with-lang"));

        Assert.Equal(["$.lang: member \"lang\" is not allowed here"], errors);
    }

    /// <summary>
    /// RFC 9083 figure 23 (a reverse DNS domain) carries the §5.3 "network" member, which upstream rdap_domain.json
    /// does not list. Apart from that and the topmost members figures leave out, the figure passes.
    /// </summary>
    [Fact]
    public async Task Schema_quirk_domain_may_not_carry_network()
    {
        var errors = await ErrorsAsync(RdapSchema.Domain, AsResponse(Figure("rfc9083-figure23-domain-reverse")));

        Assert.Equal(["$.network: member \"network\" is not allowed here"], errors);
    }

    /// <summary>RFC 9083 figure 28 omits rdapConformance, which §4.1 requires in every response; the harness holds to §4.1.</summary>
    [Fact]
    public async Task Error_without_rdap_conformance_is_reported()
    {
        var errors = await ErrorsAsync(RdapSchema.Error, Figure("rfc9083-figure28-error"));

        Assert.Equal(["$: RFC 9083 §4.1: the topmost object has no rdapConformance"], errors);
    }

    /// <summary>
    /// jcard.json defines a jCard "timestamp" (the value type of REV) with format "time", i.e. an RFC 3339 full-time,
    /// while RFC 7095 §3.5.9 timestamps carry a date as well. A correct REV property therefore fails; the server
    /// must leave REV out.
    /// </summary>
    [Fact]
    public async Task Schema_quirk_jcard_rev_cannot_hold_a_timestamp()
    {
        var entity = Entity();
        entity["vcardArray"]![1]!.AsArray().Add(new JsonArray("rev", new JsonObject(), "timestamp", "2013-02-14T12:34:56Z"));

        var errors = await ErrorsAsync(RdapSchema.Entity, entity);

        Assert.Equal(["$.vcardArray[1][11][3]: \"2013-02-14T12:34:56Z\" is not an RFC 3339 full-time (jcard_categories.json \"rev\")"], errors);
    }

    [Fact]
    public void Registries_hold_the_registered_values_and_the_project_identifier()
    {
        Assert.Equal(11, RdapRegistries.Roles.Count);
        Assert.Contains("private", RdapRegistries.Statuses);
        Assert.Contains("obscured", RdapRegistries.Statuses);
        Assert.DoesNotContain("redacted", RdapRegistries.Statuses);
        Assert.Contains("repsec", RdapRegistries.RdapExtensions);
        Assert.Contains("redacted", RdapRegistries.RdapExtensions);
        Assert.Contains("last update of RDAP database", RdapRegistries.EventActions);
    }

    [Fact]
    public async Task Concurrent_validations_share_the_loaded_schemas()
    {
        var json = Domain().ToJsonString();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RdapSchemas.ValidateAsync(RdapSchema.Domain, json))));

        Assert.All(results, Assert.Empty);
    }

    private static async Task<IReadOnlyList<string>> ErrorsAsync(RdapSchema schema, JsonNode response) =>
        await RdapSchemas.ValidateAsync(schema, response.ToJsonString());
}
