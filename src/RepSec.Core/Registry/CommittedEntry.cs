using System.Buffers.Binary;
using RepSec.Core.Transparency;

namespace RepSec.Core.Registry;

/// <summary>
/// What a registration's log entry holds: its secret, its commitments and its leaf hash, read to check a record
/// against the entry that registered it (<see cref="RecordDigest"/>). Stores that read records with their entry keep
/// many of these at once, so the five values are packed in one array: two objects instead of seven. Each property
/// returns a copy.
/// </summary>
public sealed class CommittedEntry
{
    // Five lengths (the record's -1 when the entry has none), then secret, subject, actor, record and leaf hash.
    private const int Fields = 5;
    private const int HeaderSize = Fields * sizeof(int);
    private readonly byte[] _packed;

    public CommittedEntry(byte[] secret, EntryCommitments commitments, byte[] leafHash)
        : this(secret, commitments.Subject, commitments.Actor, commitments.Record, commitments.Record is null, leafHash)
    {
    }

    /// <summary>Packs the values read from a row; <paramref name="noRecord"/> for an entry without a record commitment.</summary>
    public CommittedEntry(
        ReadOnlySpan<byte> secret, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> actor, ReadOnlySpan<byte> record, bool noRecord, ReadOnlySpan<byte> leafHash)
    {
        _packed = new byte[HeaderSize + secret.Length + subject.Length + actor.Length + record.Length + leafHash.Length];
        var at = HeaderSize;
        at = Put(0, secret, secret.Length, at);
        at = Put(1, subject, subject.Length, at);
        at = Put(2, actor, actor.Length, at);
        at = Put(3, record, noRecord ? -1 : record.Length, at);
        Put(4, leafHash, leafHash.Length, at);
    }

    private int Put(int field, ReadOnlySpan<byte> value, int length, int at)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_packed.AsSpan(field * sizeof(int)), length);
        value.CopyTo(_packed.AsSpan(at));
        return at + value.Length;
    }

    public byte[] Secret => Field(0)!;

    public EntryCommitments Commitments => new(Field(1)!, Field(2)!, Field(3));

    public byte[] LeafHash => Field(4)!;

    private byte[]? Field(int field)
    {
        var at = HeaderSize;
        for (var i = 0; i < field; i++)
        {
            at += Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(_packed.AsSpan(i * sizeof(int))));
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_packed.AsSpan(field * sizeof(int)));
        return length < 0 ? null : _packed.AsSpan(at, length).ToArray();
    }
}
