using System.Text;
using System.Text.Json;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// JWK sets (RFC 7517 §5), the form in which a server publishes its signature keys: <c>{"keys":[...]}</c>.
/// </summary>
public static class HttpSignatureKeySet
{
    /// <summary>Most keys read from one set; a server publishes a handful (current and next).</summary>
    public const int MaxKeys = 32;

    /// <summary>The public JWKs of <paramref name="keys"/>, each with <c>kid</c> and <c>alg</c>; private parts are never written.</summary>
    public static string Serialize(IEnumerable<HttpSignatureKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                key.WriteJwk(writer, includePrivateKey: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Reads the public keys of a JWK set, as verify-only keys (any private member is ignored). Keys this
    /// library cannot use (other types, curves or uses, or malformed ones) are skipped, as RFC 7517 §5 asks;
    /// false only if the text is not a JWK set at all. Never throws for malformed input.
    /// </summary>
    public static bool TryParse(string? json, out IReadOnlyList<HttpSignatureKey> keys)
    {
        keys = [];
        if (json is null || json.Length > HttpSignatureKey.MaxJwkLength)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, HttpSignatureKey.JwkJsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var found = new List<HttpSignatureKey>();
            foreach (var element in array.EnumerateArray())
            {
                if (found.Count == MaxKeys)
                {
                    break;
                }

                if (HttpSignatureKey.TryImport(element, allowPrivate: false, out var key, out _))
                {
                    found.Add(key);
                }
            }

            keys = found;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
