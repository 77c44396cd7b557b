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

    /// <summary>
    /// Whether the record still matches the log entry that registered it, checked against the entry the record holds
    /// (<see cref="EntityRecord.Committed"/>). A store that holds records without their entry settles each with
    /// <see cref="Settle"/> before handing it out.
    /// </summary>
    public static bool Matches(EntityRecord record) => Settle(record, record.Committed);

    /// <summary>
    /// Whether the record matches <paramref name="entry"/>, the log entry at its index (null: there is none), computed
    /// once: a record keeps the answer, and once known the entry is not read again.
    /// </summary>
    public static bool Settle(EntityRecord record, CommittedEntry? entry)
    {
        var known = Volatile.Read(ref record.Authenticity);
        if (known == 0)
        {
            known = Compute(record, entry) ? 1 : 2;
            Volatile.Write(ref record.Authenticity, known);
        }

        return known == 1;
    }

    /// <summary>Whether the record is known to match its entry; null while that has not been checked.</summary>
    public static bool? Known(EntityRecord record) => Volatile.Read(ref record.Authenticity) switch
    {
        0 => null,
        var known => known == 1,
    };

    private static bool Compute(EntityRecord record, CommittedEntry? entry)
    {
        if (entry is null || entry.Commitments.Record is not { } committed)
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
