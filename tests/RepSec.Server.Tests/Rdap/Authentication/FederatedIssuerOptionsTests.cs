using Microsoft.Extensions.Configuration;
using RepSec.Core.Security;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

public sealed class FederatedIssuerOptionsTests
{
    [Fact]
    public void Issuers_bind_from_configuration_with_defaults_for_what_is_not_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RepSec:Rdap:FederatedIssuers:0:Name"] = "corp",
            ["RepSec:Rdap:FederatedIssuers:0:Issuer"] = "https://login.corp.example/realms/rdap/",
            ["RepSec:Rdap:FederatedIssuers:0:Audiences:0"] = "rdap",
            ["RepSec:Rdap:FederatedIssuers:0:Audiences:1"] = "https://rdap.example/",
            ["RepSec:Rdap:FederatedIssuers:1:Name"] = "partner",
            ["RepSec:Rdap:FederatedIssuers:1:Issuer"] = "https://partner.example",
            ["RepSec:Rdap:FederatedIssuers:1:JwksUri"] = "https://partner.example/keys",
            ["RepSec:Rdap:FederatedIssuers:1:Audiences:0"] = "rdap",
            ["RepSec:Rdap:FederatedIssuers:1:PrincipalClaim"] = "email",
            ["RepSec:Rdap:FederatedIssuers:1:RoleClaim"] = "scope",
            ["RepSec:Rdap:FederatedIssuers:1:DefaultRole"] = "none",
            ["RepSec:Rdap:FederatedIssuers:1:PrincipalPrefix"] = "",
            ["RepSec:Rdap:FederatedIssuers:1:ClockSkewSeconds"] = "5",
            ["RepSec:Rdap:FederatedIssuers:1:RefreshMinutes"] = "15",
        }).Build();

        var issuers = FederatedIssuerOptions.Bind(configuration);

        Assert.Equal(2, issuers.Count);
        var corp = issuers[0];
        Assert.Equal(["rdap", "https://rdap.example/"], corp.Audiences);
        Assert.Equal("https://login.corp.example/realms/rdap/.well-known/openid-configuration", corp.ResolveMetadataAddress());
        Assert.Equal("corp:", corp.ResolvePrincipalPrefix());
        Assert.Equal(("sub", "roles", "registrant"), (corp.PrincipalClaim, corp.RoleClaim, corp.DefaultRole));
        Assert.Equal((true, 60, 60), (corp.RequireHttpsMetadata, corp.ClockSkewSeconds, corp.RefreshMinutes));
        Assert.Null(corp.CaCertificate);
        var partner = issuers[1];
        Assert.Equal("https://partner.example/keys", partner.JwksUri);
        Assert.Equal("", partner.ResolvePrincipalPrefix());
        Assert.True(partner.TryParseDefaultRole(out var role));
        Assert.Equal(Role.None, role);
        Assert.Equal((5, 15), (partner.ClockSkewSeconds, partner.RefreshMinutes));
        Assert.Empty(FederatedIssuerOptions.ValidateAll(issuers));
    }

    [Fact]
    public void No_configured_issuers_bind_to_an_empty_list() =>
        Assert.Empty(FederatedIssuerOptions.Bind(new ConfigurationBuilder().Build()));

    [Theory]
    [InlineData("Name", "Name must be")]
    [InlineData("Issuer", "Issuer must be an absolute https URL")]
    [InlineData("HttpIssuer", "Issuer must be an absolute https URL")]
    [InlineData("HttpJwks", "JwksUri must be an absolute https URL")]
    [InlineData("Both", "set MetadataAddress or JwksUri, not both")]
    [InlineData("Audiences", "Audiences must list")]
    [InlineData("DefaultRole", "DefaultRole must be")]
    [InlineData("Prefix", "PrincipalPrefix must")]
    [InlineData("Skew", "ClockSkewSeconds must be 0-300")]
    [InlineData("Refresh", "RefreshMinutes must be 5-1440")]
    [InlineData("Ca", "CaCertificate /nonexistent/ca.pem:")]
    public void Each_mistake_is_reported_in_words_an_operator_can_act_on(string mistake, string expected)
    {
        var options = Valid();
        switch (mistake)
        {
            case "Name": options.Name = "corp idp"; break;
            case "Issuer": options.Issuer = "corp"; break;
            case "HttpIssuer": options.Issuer = "http://idp.example"; break;
            case "HttpJwks": options.JwksUri = "http://idp.example/keys"; break;
            case "Both": (options.JwksUri, options.MetadataAddress) = ("https://idp.example/keys", "https://idp.example/meta"); break;
            case "Audiences": options.Audiences = []; break;
            case "DefaultRole": options.DefaultRole = "root"; break;
            case "Prefix": options.PrincipalPrefix = "corp"; break;
            case "Skew": options.ClockSkewSeconds = -1; break;
            case "Refresh": options.RefreshMinutes = 1; break;
            case "Ca": options.CaCertificate = "/nonexistent/ca.pem"; break;
        }

        var errors = options.Validate().ToList();

        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_is_allowed_only_when_https_metadata_is_not_required()
    {
        var options = Valid();
        options.Issuer = "http://idp.internal";
        options.RequireHttpsMetadata = false;

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void A_file_without_a_certificate_is_not_a_ca()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var options = Valid();
            options.CaCertificate = path;

            Assert.Contains("no PEM certificate found", Assert.Single(options.Validate()), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Issuers_may_not_share_a_name_an_issuer_or_a_prefix_but_may_share_the_empty_prefix()
    {
        var a = Valid();
        var b = Valid();
        b.Name = "CORP";
        var c = Valid();
        (c.Name, c.Issuer, c.PrincipalPrefix) = ("c", "https://c.example", "corp:");
        var d = Valid();
        (d.Name, d.Issuer, d.PrincipalPrefix) = ("d", "https://d.example", "");
        var e = Valid();
        (e.Name, e.Issuer, e.PrincipalPrefix) = ("e", "https://e.example", "");
        var f = Valid();
        (f.Name, f.Audiences) = ("f", []);

        var errors = FederatedIssuerOptions.ValidateAll([a, b, c, d, e, f]);

        Assert.Equal(
        [
            "RepSec:Rdap:FederatedIssuers:5: Audiences must list at least one audience, none empty",
            "RepSec:Rdap:FederatedIssuers: Name 'corp' is used by more than one issuer",
            "RepSec:Rdap:FederatedIssuers: Issuer 'https://idp.example' is used by more than one issuer",
            "RepSec:Rdap:FederatedIssuers: PrincipalPrefix 'corp:' is used by more than one issuer",
        ], errors);
    }

    private static FederatedIssuerOptions Valid() => new()
    {
        Name = "corp",
        Issuer = "https://idp.example",
        Audiences = ["rdap"],
    };
}
