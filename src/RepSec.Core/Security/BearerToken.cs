using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.Core.Security;

/// <summary>
/// Operator-issued bearer tokens: <c>rs_&lt;16 hex id&gt;_&lt;43 base64url secret&gt;</c>. The id finds the row without
/// touching the secret; only SHA-256 of the secret is stored (it carries 256 random bits, so a slow hash adds
/// nothing) and it is compared in constant time.
/// </summary>
public static class BearerToken
{
    private const string Prefix = "rs_";
    private const int IdChars = 16;
    private const int SecretChars = 43;
    public const int Length = 3 + IdChars + 1 + SecretChars;

    public static (string Token, string Id, byte[] SecretHash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdChars / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", id, Hash(secret));
    }

    /// <summary>Splits a presented token into its id and secret; false when it cannot be one of ours.</summary>
    public static bool TryParse(ReadOnlySpan<char> token, out ReadOnlySpan<char> id, out ReadOnlySpan<char> secret)
    {
        id = secret = default;
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[3 + IdChars] != '_')
        {
            return false;
        }

        id = token.Slice(3, IdChars);
        secret = token[(3 + IdChars + 1)..];
        return true;
    }

    public static byte[] Hash(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = stackalloc byte[SecretChars * 3];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        return SHA256.HashData(utf8[..length]);
    }

    public static bool Matches(ReadOnlySpan<char> secret, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> utf8 = stackalloc byte[SecretChars * 3];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        SHA256.HashData(utf8[..length], hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }
}
