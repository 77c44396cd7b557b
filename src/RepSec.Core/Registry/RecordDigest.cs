using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Core.Registry;

/// <summary>
/// SHA-256 over a fixed JSON array of a record's fields. The registration's log entry commits to it; VERIFY
/// recomputes it from the record as loaded and checks it still opens that commitment and that the entry still hashes
/// to its leaf (once per record object: a record never changes), so a row edited behind the server's back no longer
/// verifies once it is read again.
/// </summary>
public static class RecordDigest
{
    public static byte[] Compute(EntityType type, string key, string value, string owner, string? attributesJson, DateTimeOffset registeredAt)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        Compute(type, key, value, owner, attributesJson, registeredAt, digest);
        return digest;
    }

    private static void Compute(EntityType type, string key, string value, string owner, string? attributesJson, DateTimeOffset registeredAt, Span<byte> digest)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        var json = _writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartArray();
        json.WriteStringValue(type.ToWire());
        json.WriteStringValue(key);
        json.WriteStringValue(value);
        json.WriteStringValue(owner);
        json.WriteStringValue(attributesJson ?? "");
        json.WriteNumberValue(registeredAt.ToUnixTimeMilliseconds());
        json.WriteEndArray();
        json.Flush();
        SHA256.HashData(buffer.WrittenSpan, digest);
    }

    public static bool Matches(EntityRecord record)
    {
        var known = Volatile.Read(ref record.Authenticity);
        if (known == 0)
        {
            known = Compute(record) ? 1 : 2;
            Volatile.Write(ref record.Authenticity, known);
        }

        return known == 1;
    }

    private static bool Compute(EntityRecord record)
    {
        if (record.Committed is not { } entry || entry.Commitments.Record is not { } committed)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Compute(record.Type, record.Key, record.Value, record.Owner, record.AttributesJson, record.RegisteredAt, digest);
        var key = LogCommitment.DeriveKey(entry.Secret, LogCommitment.Record);
        if (!CryptographicOperations.FixedTimeEquals(LogCommitment.Commit(key, digest), committed))
        {
            return false;
        }

        var leaf = LogEntryDraft.Leaf(record.LogIndex, AuditActions.Register, record.RegisteredAt, entry.Commitments);
        return CryptographicOperations.FixedTimeEquals(leaf.Hash(), entry.LeafHash);
    }

    // One buffer and writer per thread: digests are computed on every VERIFY.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;
}
