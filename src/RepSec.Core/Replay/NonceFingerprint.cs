using System.IO.Hashing;
using System.Text;

namespace RepSec.Core.Replay;

/// <summary>
/// What the nonce stores remember of a nonce: a 64-bit keyed XXH3 hash of its scope and value. The key (seed) is
/// secret to the store, so no client can aim a collision at another's nonce.
/// </summary>
public static class NonceFingerprint
{
    public static ulong Of(long seed, string scope, string nonce)
    {
        var length = Encoding.UTF8.GetMaxByteCount(scope.Length + nonce.Length + 1);
        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(scope, buffer);
        buffer[written++] = (byte)'\n';
        written += Encoding.UTF8.GetBytes(nonce, buffer[written..]);
        return XxHash3.HashToUInt64(buffer[..written], seed);
    }
}
