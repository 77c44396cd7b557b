using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>
/// SHA-256 over a fixed JSON array of a record's fields. The audit entry commits to it at registration; VERIFY
/// recomputes it from the stored row, so a row edited behind the server's back no longer verifies.
/// </summary>
public static class RecordDigest
{
    public static byte[] Compute(EntityType type, string key, string value, string owner, string? attributesJson, DateTimeOffset registeredAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(type.ToWire());
            json.WriteStringValue(key);
            json.WriteStringValue(value);
            json.WriteStringValue(owner);
            json.WriteStringValue(attributesJson ?? "");
            json.WriteNumberValue(registeredAt.ToUnixTimeMilliseconds());
            json.WriteEndArray();
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    public static bool Matches(EntityRecord record) =>
        CryptographicOperations.FixedTimeEquals(
            Compute(record.Type, record.Key, record.Value, record.Owner, record.AttributesJson, record.RegisteredAt),
            record.CommittedDigest);
}
