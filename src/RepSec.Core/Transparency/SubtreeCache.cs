namespace RepSec.Core.Transparency;

/// <summary>
/// The log's upper subtrees (2^<see cref="MinLevel"/> leaves or more) kept in memory once read. Every proof needs
/// the ones above its leaf, so without them a proof reads twice as many rows from a log of a million entries as
/// from one of a thousand; with them it reads about the same few rows at any size. Only complete subtrees of the
/// committed tree are ever read, and those never change, so an entry cannot go stale. Bounded: one slot per
/// subtree, each slot holding one subtree; a log of up to 2^(MinLevel + SlotBits - 1) leaves fits without two
/// subtrees sharing a slot, and beyond that a slot keeps whichever was read last.
/// </summary>
internal sealed class SubtreeCache
{
    public const int MinLevel = 8;
    private const int SlotBits = 16;

    private readonly Entry?[] _slots = new Entry?[1 << SlotBits];

    public static bool Caches(NodeId node) => node.Level >= MinLevel;

    public bool TryGet(NodeId node, out byte[] hash)
    {
        if (Caches(node) && Volatile.Read(ref _slots[Slot(node)]) is { } entry && entry.Node == node)
        {
            hash = entry.Hash;
            return true;
        }

        hash = [];
        return false;
    }

    public void Add(NodeId node, byte[] hash)
    {
        if (Caches(node))
        {
            Volatile.Write(ref _slots[Slot(node)], new Entry(node, hash));
        }
    }

    /// <summary>
    /// (2 * index + 1) shifted left by (level - MinLevel) is distinct for every cached subtree and grows with the
    /// leaves they cover, so the subtrees of a tree of n leaves use distinct values below n / 2^(MinLevel - 1).
    /// </summary>
    private static int Slot(NodeId node) =>
        (int)((((node.Index << 1) | 1) << (node.Level - MinLevel)) & ((1L << SlotBits) - 1));

    private sealed record Entry(NodeId Node, byte[] Hash);
}
