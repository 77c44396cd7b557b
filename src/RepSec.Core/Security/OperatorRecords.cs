using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RepSec.Core.Security;

/// <summary>
/// What the log entry of each operator action on a principal commits to (its record commitment covers SHA-256 of
/// the text): enough that every stored value of the row the action wrote is proven by the entry. Credentials and
/// contact data enter only as hashes, behind the entry's hiding commitment. <see cref="Transparency.LogAudit"/>
/// recomputes them from the stored rows; the <c>Legacy</c> forms are what earlier versions committed to.
/// </summary>
public static class OperatorRecords
{
    public static string PrincipalAdd(string role) => $"role {role}";

    public static string TokenIssue(string tokenId, ReadOnlySpan<byte> secretHash) => $"token {tokenId} {Convert.ToHexStringLower(secretHash)}";

    public static string TokenRevoke(string tokenId) => $"token {tokenId}";

    public static string Certificate(string fingerprint) => $"certificate {fingerprint}";

    public static string Password(string realm, byte[] salt, int iterations, byte[] hash, byte[] digestSha256, byte[] digestMd5)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { salt, BitConverter.GetBytes(iterations), hash, digestSha256, digestMd5 })
        {
            sha.AppendData(BitConverter.GetBytes(part.Length));
            sha.AppendData(part);
        }

        return $"password {realm} {Convert.ToHexStringLower(sha.GetHashAndReset())}";
    }

    public static string Password(PasswordCredential credential) =>
        Password(credential.Realm, credential.Salt, credential.Iterations, credential.Hash, credential.DigestSha256, credential.DigestMd5);

    /// <summary>A contact's fields in ordinal key order; no fields is the contact's removal.</summary>
    public static string Contact(IReadOnlyDictionary<string, string> fields)
    {
        var pairs = fields.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new[] { pair.Key, pair.Value }).ToArray();
        return $"contact {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(pairs, OperatorRecordsJson.Default.StringArrayArray))))}";
    }

    public static string LegacyTokenIssue(string tokenId) => TokenRevoke(tokenId);

    public static string LegacyPassword(string realm) => $"realm {realm}";

    public static string LegacyContact(IReadOnlyDictionary<string, string> fields) => $"fields {string.Join(',', fields.Keys.Order(StringComparer.Ordinal))}";
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[][]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class OperatorRecordsJson : System.Text.Json.Serialization.JsonSerializerContext;
