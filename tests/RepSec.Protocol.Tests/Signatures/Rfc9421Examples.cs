using System.Security.Cryptography;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

/// <summary>
/// The messages and keys of RFC 9421 Appendix B (B.1 keys, B.2 test-request and test-response), copied from
/// the RFC text with its RFC 8792 line wrapping undone.
/// </summary>
internal static class Rfc9421Examples
{
    /// <summary>1618884473, the <c>created</c> time of the Appendix B signatures.</summary>
    public static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1618884473);

    public const string RequestBody = "{\"hello\": \"world\"}";
    public const string ResponseBody = "{\"message\": \"good dog\"}";

    public static HttpRequestComponents Request() => new(
        "POST",
        "https",
        "example.com",
        "/foo?param=Value&Pet=dog",
        [
            new("Host", "example.com"),
            new("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
            new("Content-Type", "application/json"),
            new("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"),
            new("Content-Length", "18"),
        ]);

    public static HttpResponseComponents Response() => new(
        200,
        [
            new("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
            new("Content-Type", "application/json"),
            new("Content-Digest", "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:"),
            new("Content-Length", "23"),
        ]);

    /// <summary>B.1.3 test-key-ecc-p256 in its JWK form.</summary>
    public const string EccP256Jwk = """
        {"kty": "EC", "crv": "P-256", "kid": "test-key-ecc-p256",
         "d": "UpuF81l-kOxbjf7T4mNSv0r5tN67Gim7rnf6EFpcYDs",
         "x": "qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA",
         "y": "Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0"}
        """;

    /// <summary>B.1.4 test-key-ed25519 in its JWK form.</summary>
    public const string Ed25519Jwk = """
        {"kty": "OKP", "crv": "Ed25519", "kid": "test-key-ed25519",
         "d": "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU",
         "x": "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}
        """;

    /// <summary>B.1.2 test-key-rsa-pss, public half (SubjectPublicKeyInfo).</summary>
    public const string RsaPssPublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
        +QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
        oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
        gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
        Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
        aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
        2wIDAQAB
        -----END PUBLIC KEY-----
        """;

    public static HttpSignatureKey EccP256() => HttpSignatureKey.FromJwk(EccP256Jwk);

    public static HttpSignatureKey Ed25519() => HttpSignatureKey.FromJwk(Ed25519Jwk);

    public static HttpSignatureKey RsaPss()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(RsaPssPublicKeyPem);
        return HttpSignatureKey.FromRsaPublicKey(rsa, HttpSignatureAlgorithms.RsaPssSha512, "test-key-rsa-pss");
    }
}
