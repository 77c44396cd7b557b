using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using RepSec.Core.Security;
using RepSec.Server.Rdap.Authentication;
using RepSec.Server.Tests.Infrastructure;
using RepSec.Testing.Federation;

namespace RepSec.Server.Tests.Rdap.Authentication;

/// <summary>Bearer JWTs from a real issuer on loopback: what is accepted, as whom, and what is refused and why.</summary>
public sealed class FederatedAuthenticatorTests : IAsyncLifetime
{
    private FederatedHarness _h = null!;

    public async Task InitializeAsync() => _h = await FederatedHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_RS256_token_becomes_the_prefixed_principal_with_its_highest_role()
    {
        var authenticator = _h.Create();
        var token = _h.Token(_h.Rsa, d => d.Claims["roles"] = new[] { "registrant", "auditor" });

        var result = await authenticator.AuthenticateAsync(token, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(new Principal("corp:alice", Role.Auditor), result.Principal);
        Assert.True(authenticator.IsEnabled);
        Assert.Equal(1, _h.Idp.DiscoveryRequests);
        Assert.Equal(1, _h.Idp.JwksRequests);
    }

    [Fact]
    public async Task An_ES256_access_token_with_a_single_role_string_is_accepted()
    {
        var authenticator = _h.Create(o => o.PrincipalPrefix = "idp:");
        var token = _h.Token(_h.Ec, d =>
        {
            d.TokenType = "at+jwt";
            d.Claims["roles"] = "admin";
        });

        var result = await authenticator.AuthenticateAsync(token, CancellationToken.None);

        Assert.Equal(new Principal("idp:alice", Role.Admin), result.Principal);
    }

    [Theory]
    [InlineData("registrant", Role.Registrant)]
    [InlineData("auditor", Role.Auditor)]
    public async Task Without_a_role_claim_the_default_role_applies(string defaultRole, Role expected)
    {
        var authenticator = _h.Create(o => o.DefaultRole = defaultRole);

        var result = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None);

        Assert.Equal(new Principal("corp:alice", expected), result.Principal);
    }

    [Fact]
    public async Task Unknown_role_values_fall_back_to_the_default_and_default_none_refuses()
    {
        var lenient = _h.Create();
        var strict = _h.Create(o => o.DefaultRole = "none");
        var token = _h.Token(_h.Rsa, d => d.Claims["roles"] = new[] { "superuser", "viewer" });

        Assert.Equal(Role.Registrant, (await lenient.AuthenticateAsync(token, CancellationToken.None)).Principal?.Role);
        var refused = await strict.AuthenticateAsync(token, CancellationToken.None);
        Assert.Null(refused.Principal);
        Assert.Equal("role", refused.Error);
    }

    [Fact]
    public async Task Space_separated_values_such_as_scope_map_to_roles()
    {
        var authenticator = _h.Create(o => o.RoleClaim = "scope");
        var token = _h.Token(_h.Rsa, d => d.Claims["scope"] = "openid rdap auditor");

        Assert.Equal(Role.Auditor, (await authenticator.AuthenticateAsync(token, CancellationToken.None)).Principal?.Role);
    }

    [Fact]
    public async Task An_empty_prefix_maps_onto_local_principal_names_that_must_be_valid()
    {
        var authenticator = _h.Create(o =>
        {
            o.PrincipalPrefix = "";
            o.PrincipalClaim = "preferred_username";
        });

        var local = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa, d => d.Claims["preferred_username"] = "bob"), CancellationToken.None);
        var reserved = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa, d => d.Claims["preferred_username"] = "anonymous"), CancellationToken.None);
        var invalid = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa, d => d.Claims["preferred_username"] = "corp:bob"), CancellationToken.None);
        var missing = await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None);

        Assert.Equal(new Principal("bob", Role.Registrant), local.Principal);
        Assert.Equal("principal", reserved.Error);
        Assert.Equal("principal", invalid.Error);
        Assert.Equal("principal", missing.Error);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var result = await _h.Create().AuthenticateAsync(_h.Token(_h.Rsa, d => d.Audience = "https://other.example/"), CancellationToken.None);

        AssertRejected(result, "audience");
    }

    [Fact]
    public async Task Expiry_is_judged_by_the_injected_clock_with_the_configured_skew()
    {
        var authenticator = _h.Create(o => o.ClockSkewSeconds = 60);
        var token = _h.Token(_h.Rsa);

        _h.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(59));
        Assert.NotNull((await authenticator.AuthenticateAsync(token, CancellationToken.None)).Principal);

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        AssertRejected(await authenticator.AuthenticateAsync(token, CancellationToken.None), "expired");
    }

    [Fact]
    public async Task A_token_is_refused_before_its_nbf_and_accepted_once_it_arrives()
    {
        var authenticator = _h.Create(o => o.ClockSkewSeconds = 0);
        var token = _h.Token(_h.Rsa, d => d.NotBefore = _h.Now.AddMinutes(5).UtcDateTime);

        AssertRejected(await authenticator.AuthenticateAsync(token, CancellationToken.None), "not yet valid");

        _h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull((await authenticator.AuthenticateAsync(token, CancellationToken.None)).Principal);
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        var token = _h.Token(_h.Rsa, d => d.Expires = null);

        AssertRejected(await _h.Create().AuthenticateAsync(token, CancellationToken.None), "no expiry");
    }

    [Fact]
    public async Task An_issuer_that_differs_only_in_trailing_slash_or_case_is_refused_as_the_wrong_issuer()
    {
        var authenticator = _h.Create();
        var slash = _h.Token(_h.Rsa, d => d.Issuer = _h.Idp.Issuer + "/");
        var upper = _h.Token(_h.Rsa, d => d.Issuer = _h.Idp.Issuer.ToUpperInvariant());

        AssertRejected(await authenticator.AuthenticateAsync(slash, CancellationToken.None), "issuer");
        AssertRejected(await authenticator.AuthenticateAsync(upper, CancellationToken.None), "issuer");
        Assert.Equal(0, _h.Idp.DiscoveryRequests);
    }

    [Fact]
    public async Task An_unconfigured_or_missing_issuer_is_refused_without_fetching_anything()
    {
        var authenticator = _h.Create();
        var foreign = _h.Token(_h.Rsa, d => d.Issuer = "https://idp.elsewhere.example/");
        var none = _h.Token(_h.Rsa, d => d.Issuer = null);

        AssertRejected(await authenticator.AuthenticateAsync(foreign, CancellationToken.None), "unknown issuer");
        AssertRejected(await authenticator.AuthenticateAsync(none, CancellationToken.None), "unknown issuer");
        Assert.Equal(0, _h.Idp.DiscoveryRequests + _h.Idp.JwksRequests);
    }

    [Fact]
    public async Task A_tampered_payload_fails_the_signature()
    {
        var authenticator = _h.Create();

        AssertRejected(await authenticator.AuthenticateAsync(FederatedHarness.Tamper(_h.Token(_h.Rsa)), CancellationToken.None), "signature");
        AssertRejected(await authenticator.AuthenticateAsync(FederatedHarness.Tamper(_h.Token(_h.Ec)), CancellationToken.None), "signature");
    }

    [Fact]
    public async Task A_key_claiming_a_published_kid_or_an_unpublished_key_is_refused()
    {
        var authenticator = _h.Create();
        using var impostor = TestSigningKey.Rsa(_h.Rsa.Kid);
        using var rogue = TestSigningKey.Rsa("rogue");

        AssertRejected(await authenticator.AuthenticateAsync(_h.Token(impostor), CancellationToken.None), "signature");
        AssertRejected(await authenticator.AuthenticateAsync(_h.Token(rogue), CancellationToken.None), "unknown key");
    }

    [Fact]
    public async Task Alg_none_is_refused_before_any_key_is_fetched()
    {
        var result = await _h.Create().AuthenticateAsync(FederatedHarness.Unsigned(_h.Token(_h.Rsa)), CancellationToken.None);

        AssertRejected(result, "algorithm");
        Assert.Equal(0, _h.Idp.DiscoveryRequests);
    }

    [Fact]
    public async Task HS256_keyed_with_the_issuers_public_key_is_refused()
    {
        // The classic confusion: a verifier that lets the token pick HMAC and uses the RSA public key as the secret.
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_h.Rsa.PublicKeyPem)) { KeyId = _h.Rsa.Kid };
        var token = _h.Idp.CreateToken(new SigningCredentials(secret, SecurityAlgorithms.HmacSha256), _h.Now);

        AssertRejected(await _h.Create().AuthenticateAsync(token, CancellationToken.None), "algorithm");
    }

    [Fact]
    public async Task A_token_of_another_type_is_refused()
    {
        var token = _h.Token(_h.Rsa, d => d.TokenType = "logout+jwt");

        AssertRejected(await _h.Create().AuthenticateAsync(token, CancellationToken.None), "type");
    }

    [Fact]
    public async Task A_token_signed_by_one_issuer_cannot_speak_for_another()
    {
        var other = await _h.StartAnotherIssuerAsync();
        var authenticator = _h.Create([_h.Idp.Options("corp"), other.Options("partner")]);
        var forged = _h.Token(_h.Rsa, d => d.Issuer = other.Issuer);

        AssertRejected(await authenticator.AuthenticateAsync(forged, CancellationToken.None), "unknown key");
        Assert.Equal(new Principal("corp:alice", Role.Registrant), (await authenticator.AuthenticateAsync(_h.Token(_h.Rsa), CancellationToken.None)).Principal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")]
    public async Task Malformed_tokens_are_refused(string token) =>
        AssertRejected(await _h.Create().AuthenticateAsync(token, CancellationToken.None), "malformed");

    [Fact]
    public async Task An_oversized_token_is_refused_unparsed() =>
        AssertRejected(await _h.Create().AuthenticateAsync(new string('a', 20_000) + ".b.c", CancellationToken.None), "malformed");

    [Fact]
    public async Task Rejections_are_logged_at_debug_with_the_reason_and_never_the_token()
    {
        var authenticator = _h.Create();
        string[] tokens =
        [
            _h.Token(_h.Rsa, d => d.Audience = "https://other.example/"),
            FederatedHarness.Tamper(_h.Token(_h.Rsa)),
            FederatedHarness.Unsigned(_h.Token(_h.Rsa)),
        ];

        foreach (var token in tokens)
        {
            await authenticator.AuthenticateAsync(token, CancellationToken.None);
        }

        var rejections = _h.Logs.Entries.Where(entry => entry.EventId == 402).ToList();
        Assert.Equal(3, rejections.Count);
        Assert.All(rejections, entry => Assert.Equal(LogLevel.Debug, entry.Level));
        Assert.Contains(rejections, entry => entry.Text.Contains("audience", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            // Neither the whole token nor any of its parts (the payload holds the subject).
            Assert.All(token.Split('.').Where(part => part.Length > 8), part => Assert.DoesNotContain(part, _h.Logs.All, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Without_issuers_federation_is_off()
    {
        using var authenticator = new FederatedAuthenticator([], TimeProvider.System, _h.Logs);

        Assert.False(authenticator.IsEnabled);
    }

    private static void AssertRejected(FederatedResult result, string error)
    {
        Assert.Null(result.Principal);
        Assert.Equal(error, result.Error);
    }
}
