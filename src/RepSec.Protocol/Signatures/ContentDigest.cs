using System.Security.Cryptography;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// The Content-Digest field of RFC 9530 §2: a dictionary from hash algorithm to the digest of the message
/// content as a byte sequence, e.g. <c>sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:</c>.
/// </summary>
public static class ContentDigest
{
    /// <summary>The Content-Digest value for <paramref name="body"/> with SHA-256.</summary>
    public static string Sha256(ReadOnlySpan<byte> body) => $"sha-256=:{Convert.ToBase64String(SHA256.HashData(body))}:";

    /// <summary>The Content-Digest value for <paramref name="body"/> with SHA-512.</summary>
    public static string Sha512(ReadOnlySpan<byte> body) => $"sha-512=:{Convert.ToBase64String(SHA512.HashData(body))}:";

    /// <summary>
    /// Whether <paramref name="headerValue"/> matches <paramref name="body"/>: it must carry at least one sha-256 or
    /// sha-512 digest, and every one it carries must match. Digests with other algorithms are ignored (§6.7),
    /// so a value with only those fails. Never throws for malformed values.
    /// </summary>
    public static bool Verify(string? headerValue, ReadOnlySpan<byte> body)
    {
        if (!StructuredFieldParser.TryParseDictionary(headerValue, out var members, out _))
        {
            return false;
        }

        var checkedAny = false;
        foreach (var (algorithm, member) in members)
        {
            if (algorithm is not ("sha-256" or "sha-512"))
            {
                continue;
            }

            if (member is not SfItem { Value.Value: byte[] expected })
            {
                return false;
            }

            var actual = algorithm == "sha-256" ? SHA256.HashData(body) : SHA512.HashData(body);
            if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                return false;
            }

            checkedAny = true;
        }

        return checkedAny;
    }
}
