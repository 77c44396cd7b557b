namespace RepSec.Protocol.Signatures;

/// <summary>The RFC 9421 §6.2.2 algorithm names this library knows, as used in the <c>alg</c> parameter.</summary>
public static class HttpSignatureAlgorithms
{
    /// <summary>ECDSA on P-256 with SHA-256; the signature is r || s, 64 bytes (§3.3.4). Sign and verify.</summary>
    public const string EcdsaP256Sha256 = "ecdsa-p256-sha256";

    /// <summary>Ed25519 (§3.3.6). Sign and verify.</summary>
    public const string Ed25519 = "ed25519";

    /// <summary>RSASSA-PSS with SHA-512 and a 64-byte salt (§3.3.1). Verify only.</summary>
    public const string RsaPssSha512 = "rsa-pss-sha512";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (§3.3.2). Verify only.</summary>
    public const string RsaV15Sha256 = "rsa-v1_5-sha256";

    /// <summary>The JOSE name for the same algorithm (RFC 7518), as written in a JWK's <c>alg</c> member.</summary>
    internal static string ToJose(string algorithm) => algorithm switch
    {
        EcdsaP256Sha256 => "ES256",
        Ed25519 => "EdDSA",
        RsaPssSha512 => "PS512",
        RsaV15Sha256 => "RS256",
        _ => throw new ArgumentException($"unknown algorithm '{algorithm}'", nameof(algorithm)),
    };

    /// <summary>The algorithm a JWK <c>alg</c> member names, in either vocabulary; null if it is none of ours.</summary>
    internal static string? FromJwkAlg(string alg) => alg switch
    {
        "ES256" or EcdsaP256Sha256 => EcdsaP256Sha256,
        "EdDSA" or "Ed25519" or Ed25519 => Ed25519,
        "PS512" or RsaPssSha512 => RsaPssSha512,
        "RS256" or RsaV15Sha256 => RsaV15Sha256,
        _ => null,
    };
}
