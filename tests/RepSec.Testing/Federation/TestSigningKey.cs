using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace RepSec.Testing.Federation;

/// <summary>An issuer's signing key: the private half signs test tokens, the public half is published as a JWK.</summary>
public sealed class TestSigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    private TestSigningKey(string kid, string algorithm, AsymmetricAlgorithm key, SecurityKey securityKey, JsonObject jwk)
    {
        Kid = kid;
        Algorithm = algorithm;
        _key = key;
        SecurityKey = securityKey;
        Jwk = jwk;
    }

    public string Kid { get; }

    public string Algorithm { get; }

    public SecurityKey SecurityKey { get; }

    /// <summary>The public key as JWKS publishes it.</summary>
    public JsonObject Jwk { get; }

    /// <summary>The public key in PEM, as a confused verifier might use it for an HMAC secret.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public SigningCredentials Credentials => new(SecurityKey, Algorithm);

    public static TestSigningKey Rsa(string kid, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["alg"] = algorithm,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return new TestSigningKey(kid, algorithm, rsa, new RsaSecurityKey(rsa) { KeyId = kid }, jwk);
    }

    public static TestSigningKey EcdsaP256(string kid)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["kid"] = kid,
            ["alg"] = SecurityAlgorithms.EcdsaSha256,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        return new TestSigningKey(kid, SecurityAlgorithms.EcdsaSha256, ecdsa, new ECDsaSecurityKey(ecdsa) { KeyId = kid }, jwk);
    }

    public void Dispose() => _key.Dispose();
}
