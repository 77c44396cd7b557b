using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// A key for one HTTP signature algorithm, identified by a key id (by default its RFC 7638 JWK thumbprint).
/// Keys are immutable and safe to share between threads; verify-only keys have <see cref="CanSign"/> false.
/// </summary>
public abstract partial class HttpSignatureKey
{
    private string? _keyId;
    private string? _thumbprint;

    private protected HttpSignatureKey(string? keyId)
    {
        if (keyId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(keyId);
        }

        _keyId = keyId;
    }

    /// <summary>The key id written to <c>keyid</c> and to the JWK <c>kid</c>; the thumbprint unless one was given.</summary>
    public string KeyId => _keyId ??= Thumbprint;

    /// <summary>The algorithm name, one of <see cref="HttpSignatureAlgorithms"/>.</summary>
    public abstract string Algorithm { get; }

    /// <summary>Whether the private key is present.</summary>
    public abstract bool CanSign { get; }

    /// <summary>The RFC 7638 JWK thumbprint: base64url of SHA-256 over the key's required JWK members in canonical form.</summary>
    public string Thumbprint => _thumbprint ??= Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJwk())));

    /// <summary>Signs <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">The key has no private part.</exception>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!CanSign)
        {
            throw new InvalidOperationException($"the {Algorithm} key '{KeyId}' cannot sign: it has no private part");
        }

        return SignCore(data);
    }

    /// <summary>Whether <paramref name="signature"/> is a valid signature of <paramref name="data"/>; never throws for a bad signature.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => VerifyCore(data, signature);

    /// <summary>An ECDSA P-256 key (<see cref="HttpSignatureAlgorithms.EcdsaP256Sha256"/>); the private part is copied if it can be exported.</summary>
    /// <exception cref="ArgumentException">The key is not on P-256.</exception>
    public static HttpSignatureKey FromECDsa(ECDsa key, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ECParameters parameters;
        try
        {
            parameters = key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            // A public-only or non-exportable private key: keep what can be exported, for verifying.
            parameters = key.ExportParameters(includePrivateParameters: false);
        }

        return new EcdsaP256Key(parameters, keyId);
    }

    /// <summary>An Ed25519 signing key from its 32-byte private key (the RFC 8032 seed).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static HttpSignatureKey FromEd25519PrivateKey(ReadOnlySpan<byte> privateKey, string? keyId = null) =>
        Ed25519Key.FromPrivate(privateKey, keyId);

    /// <summary>An Ed25519 verify-only key from its 32-byte public key.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes or not a curve point.</exception>
    public static HttpSignatureKey FromEd25519PublicKey(ReadOnlySpan<byte> publicKey, string? keyId = null) =>
        Ed25519Key.FromPublic(publicKey, keyId);

    /// <summary>
    /// A verify-only RSA key for <see cref="HttpSignatureAlgorithms.RsaPssSha512"/> or
    /// <see cref="HttpSignatureAlgorithms.RsaV15Sha256"/>, for interoperating with other signers.
    /// </summary>
    /// <exception cref="ArgumentException">The algorithm is not an RSA one, or the modulus is under 2048 bits.</exception>
    public static HttpSignatureKey FromRsaPublicKey(RSA key, string algorithm, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new RsaKey(key.ExportParameters(includePrivateParameters: false), algorithm, keyId);
    }

    /// <summary>A new random signing key for <see cref="HttpSignatureAlgorithms.EcdsaP256Sha256"/> or <see cref="HttpSignatureAlgorithms.Ed25519"/>.</summary>
    /// <exception cref="ArgumentException">Another algorithm.</exception>
    public static HttpSignatureKey Generate(string algorithm, string? keyId = null)
    {
        switch (algorithm)
        {
            case HttpSignatureAlgorithms.EcdsaP256Sha256:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return new EcdsaP256Key(ecdsa.ExportParameters(includePrivateParameters: true), keyId);
                }

            case HttpSignatureAlgorithms.Ed25519:
                var seed = RandomNumberGenerator.GetBytes(32);
                try
                {
                    return Ed25519Key.FromPrivate(seed, keyId);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(seed);
                }

            default:
                throw new ArgumentException($"keys can be generated for {HttpSignatureAlgorithms.EcdsaP256Sha256} and {HttpSignatureAlgorithms.Ed25519}, not '{algorithm}'", nameof(algorithm));
        }
    }

    /// <summary>The key id, algorithm and thumbprint; never key material.</summary>
    public override string ToString() => $"{Algorithm} key '{KeyId}' ({(CanSign ? "private" : "public")}, thumbprint {Thumbprint})";

    private protected abstract byte[] SignCore(ReadOnlySpan<byte> data);

    private protected abstract bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>The JWK key type: EC, OKP or RSA.</summary>
    private protected abstract string KeyType { get; }

    /// <summary>The public JWK members other than <c>kty</c>, as (name, value) pairs in lexicographic order of name.</summary>
    private protected abstract IReadOnlyList<KeyValuePair<string, string>> PublicMembers();

    /// <summary>The private JWK member <c>d</c>, base64url; null for verify-only keys.</summary>
    private protected abstract string? PrivateMember();

    /// <summary>RFC 7638 §3.2: only the required members, sorted, with no whitespace. Their values never need escaping.</summary>
    private string CanonicalJwk()
    {
        var members = PublicMembers().Append(new("kty", KeyType)).OrderBy(m => m.Key, StringComparer.Ordinal);
        return "{" + string.Join(",", members.Select(m => $"\"{m.Key}\":\"{m.Value}\"")) + "}";
    }
}
