using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using RepSec.Core;
using RepSec.Server.Rdap;
using RepSec.Testing;

namespace RepSec.Server.Tests.Hosting;

/// <summary>
/// contrib/appsettings.json lists every setting with its default: it is what the code's defaults serialize to, and
/// read back it binds to those defaults, so the example cannot fall behind the code.
/// </summary>
public sealed class SettingsExampleTests
{
    private static readonly string ExamplePath = Repository.File("contrib", "appsettings.json");

    private static readonly JsonSerializerOptions Settings = new()
    {
        WriteIndented = true,
        // Only what configuration can set: computed properties (getters alone) are not settings.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers = { info => RemoveWhere(info, p => p.Set is null) },
        },
    };

    [Fact]
    public void The_example_lists_every_setting_with_the_default_the_code_has()
    {
        var expected = Defaults();
        var example = JsonNode.Parse(File.ReadAllText(ExamplePath))!;

        Assert.True(JsonNode.DeepEquals(expected["RepSec"], example["RepSec"]),
            $"contrib/appsettings.json's RepSec section differs from the code's defaults, which are:\n{expected.ToJsonString(Settings)}");
    }

    [Fact]
    public void Read_back_the_example_binds_to_the_defaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();
        var section = configuration.GetSection("RepSec");

        Assert.Equal(Json(new ServerOptions()), Json(section.Get<ServerOptions>()));
        Assert.Equal(Json(new RepSecOptions()), Json(section.Get<RepSecOptions>()));
        Assert.Equal(Json(new RdapOptions()), Json(RdapOptions.Bind(configuration)));
        Assert.Empty(RepSec.Server.Rdap.Authentication.FederatedIssuerOptions.Bind(configuration));
    }

    /// <summary>The RepSec section as the code's defaults make it: the server's, the protocol's, RDAP's settings.</summary>
    private static JsonObject Defaults()
    {
        var section = JsonNode.Parse(Json(new ServerOptions()))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(Json(new RepSecOptions()))!.AsObject())
        {
            section[name] = value?.DeepClone();
        }

        var rdap = JsonNode.Parse(Json(new RdapOptions()))!.AsObject();
        rdap["FederatedIssuers"] = new JsonArray();
        section["Rdap"] = rdap;
        return new JsonObject { ["RepSec"] = section };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Settings);

    private static void RemoveWhere(JsonTypeInfo info, Func<JsonPropertyInfo, bool> predicate)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties.Where(predicate).ToList())
        {
            info.Properties.Remove(property);
        }
    }
}
