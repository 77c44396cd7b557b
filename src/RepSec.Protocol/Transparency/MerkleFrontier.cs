namespace RepSec.Protocol.Transparency;

/// <summary>
/// The right edge of an append-only Merkle tree: the hashes of the complete subtrees its size decomposes into,
/// largest first (at most 63). It is all an appender needs: appending a leaf merges equal-sized peaks, each merge
/// completing one subtree that the log stores, and folding the peaks from the right gives RFC 9162's root.
/// </summary>
public sealed class MerkleFrontier
{
    private readonly List<(int Level, byte[] Hash)> _peaks;

    private MerkleFrontier(long size, List<(int Level, byte[] Hash)> peaks)
    {
        Size = size;
        _peaks = peaks;
    }

    public long Size { get; private set; }

    public static MerkleFrontier Empty() => new(0, []);

    /// <summary>The complete subtrees (level, index) a tree of <paramref name="size"/> leaves decomposes into, largest first.</summary>
    public static IEnumerable<(int Level, long Index)> Peaks(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                yield return (level, start >> level);
                start += 1L << level;
            }
        }
    }

    /// <summary>The frontier of a stored tree of <paramref name="size"/> leaves, from its peak subtrees.</summary>
    public static MerkleFrontier Load(long size, Func<int, long, byte[]> subtree) =>
        new(size, [.. Peaks(size).Select(p => (p.Level, subtree(p.Level, p.Index)))]);

    /// <summary>
    /// Appends a leaf; <paramref name="completed"/> receives every interior subtree (level &gt;= 1) the leaf completes,
    /// lowest first. Returns the leaf's index.
    /// </summary>
    public long Append(byte[] leafHash, Action<int, long, byte[]> completed)
    {
        var index = Size;
        var hash = leafHash;
        var level = 0;
        while (_peaks.Count > 0 && _peaks[^1].Level == level)
        {
            hash = MerkleHash.Node(_peaks[^1].Hash, hash);
            _peaks.RemoveAt(_peaks.Count - 1);
            level++;
            completed(level, index >> level, hash);
        }

        _peaks.Add((level, hash));
        Size = index + 1;
        return index;
    }

    /// <summary>MTH of the whole tree.</summary>
    public byte[] Root()
    {
        if (_peaks.Count == 0)
        {
            return MerkleHash.Empty();
        }

        var root = _peaks[^1].Hash;
        for (var i = _peaks.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_peaks[i].Hash, root);
        }

        return root;
    }
}
