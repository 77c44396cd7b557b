using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Testing.Federation;

/// <summary>
/// A real OpenID Connect issuer on loopback: Kestrel over HTTPS (certificate from a generated CA, whose PEM is in
/// <see cref="CaPath"/>) serving discovery and a JWKS whose keys tests add and withdraw, and counting requests.
/// </summary>
internal sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "https://rdap.example/";

    private readonly Lock _gate = new();
    private readonly List<TestSigningKey> _owned = [];
    private readonly List<TestSigningKey> _published = [];
    private readonly JsonWebTokenHandler _tokens = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly X509Certificate2 _certificate;
    private readonly string _directory;
    private WebApplication? _app;
    private int _discoveryRequests;
    private int _jwksRequests;

    private TestIssuer(X509Certificate2 certificate, string directory)
    {
        _certificate = certificate;
        _directory = directory;
    }

    /// <summary>The issuer identifier over HTTPS (a path under the server, as many identity providers use).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The same issuer over plain HTTP, when started with <c>plainHttp</c>.</summary>
    public string? PlainIssuer { get; private set; }

    public string JwksUri => Issuer + "/jwks";

    public string CaPath => Path.Combine(_directory, "ca.pem");

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>When set, discovery answers with this status instead of the document.</summary>
    public HttpStatusCode? FailDiscoveryWith { get; set; }

    /// <summary>When set, discovery names this issuer instead of its own.</summary>
    public string? AdvertisedIssuer { get; set; }

    public static async Task<TestIssuer> StartAsync(bool plainHttp = false)
    {
        var (ca, certificate) = TestCertificates.Create();
        var directory = Directory.CreateTempSubdirectory("repsec-idp-").FullName;
        var issuer = new TestIssuer(certificate, directory);
        using (ca)
        {
            await File.WriteAllTextAsync(issuer.CaPath, ca.ExportCertificatePem());
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            if (plainHttp)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        app.MapGet("/idp/.well-known/openid-configuration", (HttpContext context) => issuer.Discovery(context));
        app.MapGet("/idp/jwks", () => issuer.Jwks());
        await app.StartAsync();
        issuer._app = app;
        issuer.Issuer = app.Urls.Single(url => url.StartsWith("https://", StringComparison.Ordinal)) + "/idp";
        issuer.PlainIssuer = app.Urls.SingleOrDefault(url => url.StartsWith("http://", StringComparison.Ordinal)) is { } plain ? plain + "/idp" : null;
        return issuer;
    }

    /// <summary>Options for this issuer, trusting its CA, with audience <see cref="Audience"/>.</summary>
    public FederatedIssuerOptions Options(string name = "corp") => new()
    {
        Name = name,
        Issuer = Issuer,
        Audiences = [Audience],
        CaCertificate = CaPath,
    };

    public TestSigningKey NewRsaKey(string kid, string algorithm = SecurityAlgorithms.RsaSha256) => Own(TestSigningKey.Rsa(kid, algorithm));

    public TestSigningKey NewEcKey(string kid) => Own(TestSigningKey.EcdsaP256(kid));

    public void Publish(TestSigningKey key)
    {
        lock (_gate)
        {
            _published.Add(key);
        }
    }

    public void Withdraw(TestSigningKey key)
    {
        lock (_gate)
        {
            _published.Remove(key);
        }
    }

    /// <summary>
    /// A token from this issuer for <see cref="Audience"/>, subject <c>alice</c>, valid from <paramref name="now"/>
    /// for ten minutes, typ JWT; <paramref name="adjust"/> changes any of that.
    /// </summary>
    public string CreateToken(SigningCredentials credentials, DateTimeOffset now, Action<SecurityTokenDescriptor>? adjust = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "alice" },
            SigningCredentials = credentials,
        };
        adjust?.Invoke(descriptor);
        return _tokens.CreateToken(descriptor);
    }

    public string CreateToken(TestSigningKey key, DateTimeOffset now, Action<SecurityTokenDescriptor>? adjust = null) =>
        CreateToken(key.Credentials, now, adjust);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _certificate.Dispose();
        foreach (var key in _owned)
        {
            key.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private TestSigningKey Own(TestSigningKey key)
    {
        lock (_gate)
        {
            _owned.Add(key);
        }

        return key;
    }

    private IResult Discovery(HttpContext context)
    {
        Interlocked.Increment(ref _discoveryRequests);
        if (FailDiscoveryWith is { } status)
        {
            return Results.StatusCode((int)status);
        }

        // Like many providers, the document names the issuer at the scheme and host it was asked on.
        var self = $"{context.Request.Scheme}://{context.Request.Host}/idp";
        var document = new JsonObject
        {
            ["issuer"] = AdvertisedIssuer ?? self,
            ["jwks_uri"] = self + "/jwks",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
        };
        return Results.Text(document.ToJsonString(), "application/json");
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        var keys = new JsonArray();
        lock (_gate)
        {
            foreach (var key in _published)
            {
                keys.Add(key.Jwk.DeepClone());
            }
        }

        return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
    }
}
