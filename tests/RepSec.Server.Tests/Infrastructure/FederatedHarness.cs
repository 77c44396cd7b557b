using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using RepSec.Server.Rdap.Authentication;
using RepSec.Testing.Federation;

namespace RepSec.Server.Tests.Infrastructure;

/// <summary>
/// What the federated authentication tests share: a test issuer with a published RSA key (<c>rsa-1</c>) and EC key
/// (<c>ec-1</c>), a hand-moved clock, captured logs, and authenticators disposed with it.
/// </summary>
internal sealed class FederatedHarness : IAsyncDisposable
{
    private readonly List<FederatedAuthenticator> _authenticators = [];
    private readonly List<TestIssuer> _issuers = [];

    private FederatedHarness(TestIssuer idp)
    {
        Idp = idp;
        _issuers.Add(idp);
        Rsa = idp.NewRsaKey("rsa-1");
        Ec = idp.NewEcKey("ec-1");
        idp.Publish(Rsa);
        idp.Publish(Ec);
    }

    public TestIssuer Idp { get; }

    public TestSigningKey Rsa { get; }

    public TestSigningKey Ec { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CapturedLogger<FederatedAuthenticator> Logs { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    public static async Task<FederatedHarness> StartAsync(bool plainHttp = false) => new(await TestIssuer.StartAsync(plainHttp));

    /// <summary>Another issuer on its own server, disposed with the harness.</summary>
    public async Task<TestIssuer> StartAnotherIssuerAsync()
    {
        var issuer = await TestIssuer.StartAsync();
        _issuers.Add(issuer);
        return issuer;
    }

    /// <summary>An authenticator trusting <see cref="Idp"/> (as <c>corp</c>), after <paramref name="adjust"/>.</summary>
    public FederatedAuthenticator Create(Action<FederatedIssuerOptions>? adjust = null)
    {
        var options = Idp.Options();
        adjust?.Invoke(options);
        return Create([options]);
    }

    public FederatedAuthenticator Create(IReadOnlyList<FederatedIssuerOptions> issuers)
    {
        var authenticator = new FederatedAuthenticator(issuers, Time, Logs);
        _authenticators.Add(authenticator);
        return authenticator;
    }

    public string Token(TestSigningKey key, Action<SecurityTokenDescriptor>? adjust = null) => Idp.CreateToken(key, Now, adjust);

    /// <summary>The token with its payload's <c>sub</c> changed and the signature left as it was.</summary>
    public static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["sub"] = "mallory";
        parts[1] = Base64UrlEncoder.Encode(payload.ToJsonString());
        return string.Join('.', parts);
    }

    /// <summary>The token's payload under an unsigned <c>alg: none</c> header.</summary>
    public static string Unsigned(string token) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + token.Split('.')[1] + ".";

    public async ValueTask DisposeAsync()
    {
        foreach (var authenticator in _authenticators)
        {
            authenticator.Dispose();
        }

        foreach (var issuer in _issuers)
        {
            await issuer.DisposeAsync();
        }
    }
}
