namespace RepSec.Protocol.Transparency;

/// <summary>
/// Hashes of complete, aligned subtrees: <c>Subtree(level, index)</c> covers leaves
/// [index * 2^level, (index + 1) * 2^level). A log stores these as it appends, so that any root or proof needs
/// only O(log n) of them.
/// </summary>
public interface IMerkleNodes
{
    byte[] Subtree(int level, long index);
}

/// <summary>
/// Roots and proofs exactly as RFC 9162 section 2.1 defines them (MTH, PATH, PROOF), computed from stored
/// complete subtrees; and the section 2.1.3.2 and 2.1.4.2 verification algorithms, which clients run.
/// </summary>
public static class MerkleProofs
{
    /// <summary>MTH(D[n]).</summary>
    public static byte[] Root(IMerkleNodes nodes, long size) => size == 0 ? MerkleHash.Empty() : Range(nodes, 0, size);

    /// <summary>PATH(m, D[n]): the audit path of leaf <paramref name="index"/> in the tree of <paramref name="size"/>.</summary>
    public static List<byte[]> Inclusion(IMerkleNodes nodes, long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var proof = new List<byte[]>();
        Path(nodes, index, 0, size, proof);
        return proof;
    }

    /// <summary>PROOF(m, D[n]): that the tree of <paramref name="oldSize"/> is a prefix of the tree of <paramref name="newSize"/>.</summary>
    public static List<byte[]> Consistency(IMerkleNodes nodes, long oldSize, long newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(nodes, oldSize, 0, newSize, complete: true, proof);
        }

        return proof;
    }

    /// <summary>RFC 9162 section 2.1.3.2.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size)
        {
            return false;
        }

        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0 || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 section 2.1.4.2; any tree is consistent with the empty tree.</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize)
        {
            return false;
        }

        if (oldSize == 0 || oldSize == newSize)
        {
            return proof.Count == 0 && (oldSize == 0 || oldRoot.SequenceEqual(newRoot));
        }

        if (proof.Count == 0 || proof.Any(p => p.Length != MerkleHash.Size))
        {
            return false;
        }

        var path = (oldSize & (oldSize - 1)) == 0 ? [oldRoot.ToArray(), .. proof] : proof.ToList();
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    /// <summary>MTH of leaves [start, start + count); every left part of the split is an aligned complete subtree.</summary>
    private static byte[] Range(IMerkleNodes nodes, long start, long count)
    {
        if ((count & (count - 1)) == 0 && start % count == 0)
        {
            return nodes.Subtree(System.Numerics.BitOperations.Log2((ulong)count), start / count);
        }

        var k = SplitPoint(count);
        return MerkleHash.Node(Range(nodes, start, k), Range(nodes, start + k, count - k));
    }

    private static void Path(IMerkleNodes nodes, long index, long start, long count, List<byte[]> proof)
    {
        if (count == 1)
        {
            return;
        }

        var k = SplitPoint(count);
        if (index < k)
        {
            Path(nodes, index, start, k, proof);
            proof.Add(Range(nodes, start + k, count - k));
        }
        else
        {
            Path(nodes, index - k, start + k, count - k, proof);
            proof.Add(Range(nodes, start, k));
        }
    }

    private static void SubProof(IMerkleNodes nodes, long m, long start, long count, bool complete, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!complete)
            {
                proof.Add(Range(nodes, start, count));
            }

            return;
        }

        var k = SplitPoint(count);
        if (m <= k)
        {
            SubProof(nodes, m, start, k, complete, proof);
            proof.Add(Range(nodes, start + k, count - k));
        }
        else
        {
            SubProof(nodes, m - k, start + k, count - k, complete: false, proof);
            proof.Add(Range(nodes, start, k));
        }
    }

    /// <summary>The largest power of two smaller than <paramref name="count"/> (count &gt; 1).</summary>
    private static long SplitPoint(long count) => 1L << System.Numerics.BitOperations.Log2((ulong)(count - 1));
}
