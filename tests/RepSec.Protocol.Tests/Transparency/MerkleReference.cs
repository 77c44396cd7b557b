using System.Security.Cryptography;

namespace RepSec.Protocol.Tests.Transparency;

/// <summary>
/// RFC 9162's recursive definitions of MTH, PATH and PROOF evaluated directly over the leaves, with SHA-256 called
/// here rather than through the code under test: the independent reference the known-answer tests compare with.
/// </summary>
internal static class MerkleReference
{
    internal static byte[] RefLeaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    internal static byte[] RefNode(byte[] l, byte[] r) => SHA256.HashData([0x01, .. l, .. r]);

    internal static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    internal static byte[] RefMth(byte[][] d) =>
        d.Length switch
        {
            0 => SHA256.HashData([]),
            1 => RefLeaf(d[0]),
            _ => RefNode(RefMth(d[..Split(d.Length)]), RefMth(d[Split(d.Length)..])),
        };

    internal static List<byte[]> RefPath(int m, byte[][] d)
    {
        if (d.Length == 1)
        {
            return [];
        }

        var k = Split(d.Length);
        return m < k ? [.. RefPath(m, d[..k]), RefMth(d[k..])] : [.. RefPath(m - k, d[k..]), RefMth(d[..k])];
    }

    internal static List<byte[]> RefSubProof(int m, byte[][] d, bool b)
    {
        if (m == d.Length)
        {
            return b ? [] : [RefMth(d)];
        }

        var k = Split(d.Length);
        return m <= k ? [.. RefSubProof(m, d[..k], b), RefMth(d[k..])] : [.. RefSubProof(m - k, d[k..], false), RefMth(d[..k])];
    }
}
