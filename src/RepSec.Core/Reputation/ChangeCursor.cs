using System.Buffers.Binary;
using System.Buffers.Text;

namespace RepSec.Core.Reputation;

/// <summary>
/// The CHANGES feed's cursor: opaque to clients, it names a position in the feed (base64url of a version byte
/// and the big-endian sequence number). The empty cursor is the feed's beginning.
/// </summary>
public static class ChangeCursor
{
    private const byte Version = 1;

    public static string Encode(long sequence)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out long sequence)
    {
        sequence = 0;
        if (cursor.Length == 0)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[12];
        // TryDecodeFromChars throws, rather than returning false, on a character outside the alphabet.
        if (cursor.Length != 12 || !Base64Url.IsValid(cursor) || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 9
            || bytes[0] != Version)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64BigEndian(bytes[1..9]);
        return sequence >= 0;
    }
}
