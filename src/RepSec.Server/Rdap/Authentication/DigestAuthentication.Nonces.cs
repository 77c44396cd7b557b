using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// Nonces hold no server state: issue time (Unix ms, 8 bytes) and 8 random bytes, followed by the first 16 bytes
/// of HMAC-SHA256 over them under the nonce key, base64url without padding. The MAC input starts with the realm,
/// so a nonce of one realm is not accepted in another that shares the key.
/// </summary>
internal sealed partial class DigestAuthentication
{
    private const int NonceBodyLength = 16;
    private const int NonceMacLength = 16;
    private const int NonceLength = NonceBodyLength + NonceMacLength;

    /// <summary>Base64url characters of a nonce: ceil(32 * 4 / 3) without padding.</summary>
    private const int NonceChars = 43;

    private string NewNonce()
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[8..NonceBodyLength]);
        NonceMac(nonce[..NonceBodyLength], nonce[NonceBodyLength..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>True when the nonce is one this key issued for this realm; gives its issue time.</summary>
    private bool TryReadNonce(string text, out long issued)
    {
        issued = 0;
        Span<byte> nonce = stackalloc byte[NonceLength];

        // The decoder refuses unused low bits set in the last character, and with the fixed length nothing can be
        // skipped as whitespace: each nonce has one spelling, so one entry in the replay record (a test holds this).
        if (text.Length != NonceChars
            || Base64Url.DecodeFromChars(text, nonce, out _, out var written) != OperationStatus.Done
            || written != NonceLength)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[NonceMacLength];
        NonceMac(nonce[..NonceBodyLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, nonce[NonceBodyLength..]))
        {
            return false;
        }

        issued = BinaryPrimitives.ReadInt64BigEndian(nonce);
        return true;
    }

    private void NonceMac(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[_nonceMacPrefix.Length + body.Length];
        _nonceMacPrefix.CopyTo(input);
        body.CopyTo(input[_nonceMacPrefix.Length..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_nonceKey, input, mac);
        mac[..destination.Length].CopyTo(destination);
    }

    private static byte[] NonceMacPrefix(string realm) => Encoding.UTF8.GetBytes($"repsec digest nonce v1\0{realm}\0");

    /// <summary>
    /// The opaque value clients echo back (RFC 7616 §3.3). Everything it could carry is already in the nonce, so it
    /// is a constant per key and realm; a different value sent back means the credentials were made elsewhere.
    /// </summary>
    private static string Opaque(byte[] key, string realm) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"repsec digest opaque v1\0{realm}"))
            .AsSpan(0, 18));
}
