using System.Security.Cryptography;
using System.Text;

namespace RepSec.Protocol.Transparency;

/// <summary>
/// The keyed hashes a log leaf holds instead of personal data: commitment = HMAC-SHA-256(K, value), where each
/// entry's field keys are derived from a random per-entry secret. Revealing K and the value opens a commitment;
/// without K it hides even an easily guessed value, so deleting the secret purges the entry without touching its leaf.
/// </summary>
public static class LogCommitment
{
    public const int KeySize = 32;

    public const string Subject = "subject";
    public const string Actor = "actor";
    public const string Record = "record";

    /// <summary>A new per-entry secret.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(KeySize);

    // The derivation labels of the three fields, encoded once: VERIFY derives a key on every call.
    private static readonly byte[] SubjectLabel = Label(Subject);
    private static readonly byte[] ActorLabel = Label(Actor);
    private static readonly byte[] RecordLabel = Label(Record);

    /// <summary>K = HMAC-SHA-256(secret, "repsec log " + field).</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> secret, string field) =>
        HMACSHA256.HashData(secret, field switch
        {
            Subject => SubjectLabel,
            Actor => ActorLabel,
            Record => RecordLabel,
            _ => Label(field),
        });

    private static byte[] Label(string field) => Encoding.ASCII.GetBytes("repsec log " + field);

    /// <summary>The subject string a commitment covers: the type, a line feed, the canonical key.</summary>
    public static string SubjectOf(string type, string key) => $"{type}\n{key}";

    public static byte[] Commit(ReadOnlySpan<byte> key, string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));

    public static byte[] Commit(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => HMACSHA256.HashData(key, value);

    /// <summary>Whether <paramref name="key"/> and <paramref name="value"/> open <paramref name="commitment"/>.</summary>
    public static bool Opens(ReadOnlySpan<byte> key, string value, ReadOnlySpan<byte> commitment) =>
        key.Length == KeySize && CryptographicOperations.FixedTimeEquals(Commit(key, value), commitment);
}
