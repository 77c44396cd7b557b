using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.Server.Rdap.Authentication;

internal sealed partial class DigestAuthentication
{
    /// <summary>The algorithm whose stored secret a credential uses: a <c>-sess</c> variant uses its base's.</summary>
    public static DigestAlgorithm SecretAlgorithm(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 or DigestAlgorithm.Md5Session => DigestAlgorithm.Md5,
        DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Session => DigestAlgorithm.Sha256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>
    /// The secret stored instead of a password: H(username ":" realm ":" password) in UTF-8 (RFC 7616 §3.4.2,
    /// charset=UTF-8), raw bytes. Computed when an operator sets a password, once per base algorithm.
    /// </summary>
    public static byte[] ComputeSecret(DigestAlgorithm algorithm, string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return Hash(algorithm, string.Concat(username, ":", realm, ":", password));
    }

    /// <summary>
    /// The request-digest of RFC 7616 §3.4.1 in lowercase hex: H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2))
    /// with A2 = method ":" uri, and for <c>-sess</c> HA1 replaced by H(HA1 ":" nonce ":" cnonce).
    /// </summary>
    internal static string ComputeResponse(DigestAlgorithm algorithm, ReadOnlySpan<byte> secret, string nonce,
        string nonceCount, string cnonce, string qop, string method, string uri) =>
        Convert.ToHexStringLower(ResponseDigest(algorithm, secret, nonce, nonceCount, cnonce, qop, method, uri));

    private static byte[] ResponseDigest(DigestAlgorithm algorithm, ReadOnlySpan<byte> secret, string nonce,
        string nonceCount, string cnonce, string qop, string method, string uri)
    {
        var ha1 = Convert.ToHexStringLower(secret);
        if (algorithm is DigestAlgorithm.Md5Session or DigestAlgorithm.Sha256Session)
        {
            ha1 = Convert.ToHexStringLower(Hash(algorithm, string.Concat(ha1, ":", nonce, ":", cnonce)));
        }

        var ha2 = Convert.ToHexStringLower(Hash(algorithm, string.Concat(method, ":", uri)));
        return Hash(algorithm, string.Join(':', ha1, nonce, nonceCount, cnonce, qop, ha2));
    }

    private static int HashSize(DigestAlgorithm algorithm) =>
        SecretAlgorithm(algorithm) == DigestAlgorithm.Sha256 ? SHA256.HashSizeInBytes : MD5.HashSizeInBytes;

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "RFC 7616 keeps MD5 for the clients that support nothing else; SHA-256 is offered first.")]
    private static byte[] Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return SecretAlgorithm(algorithm) == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes);
    }
}
