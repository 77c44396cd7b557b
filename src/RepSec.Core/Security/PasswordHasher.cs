using System.Security.Cryptography;
using System.Text;

namespace RepSec.Core.Security;

/// <summary>
/// Passwords for HTTP Basic: PBKDF2-HMAC-SHA256 with a random 16-byte salt per password and an iteration count
/// stored with the hash, so it can rise later without invalidating stored passwords.
/// </summary>
public static class PasswordHasher
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static (byte[] Salt, byte[] Hash) Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (salt, Derive(password, salt, iterations));
    }

    public static bool Verify(string password, ReadOnlySpan<byte> salt, int iterations, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, actual, iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
