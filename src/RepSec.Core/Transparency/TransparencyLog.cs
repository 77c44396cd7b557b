using RepSec.Protocol.Transparency;

namespace RepSec.Core.Transparency;

/// <summary>A checkpoint and the note that signs it.</summary>
public sealed record SignedCheckpoint(long Size, byte[] Root, string Note);

/// <summary>
/// Signed checkpoints and RFC 9162 proofs over the stored log. Every proof is computed twice: once to learn which
/// stored subtrees it needs (the shape depends only on sizes and indices), then over those subtrees fetched in one
/// read, so a proof costs one round trip and O(log n) rows however large the log grows. The upper subtrees, which
/// every proof shares, are read once and kept (<see cref="SubtreeCache"/>).
/// </summary>
public sealed class TransparencyLog(ITransparencyLogStore store, LogSigningKey key)
{
    private readonly SubtreeCache _upper = new();
    private SignedCheckpoint? _latest;

    public LogSigningKey Key => key;

    public ITransparencyLogStore Store => store;

    /// <summary>A checkpoint of the whole committed log, signed when the log has grown since the last one.</summary>
    public async ValueTask<SignedCheckpoint> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var size = await store.GetTreeSizeAsync(cancellationToken);
        var latest = Volatile.Read(ref _latest);
        if (latest?.Size == size)
        {
            return latest;
        }

        var root = await RootAsync(size, cancellationToken);
        var signed = new SignedCheckpoint(size, root, new Checkpoint(key.Origin, size, root).Sign(key.PrivateKey));
        // Keep the largest: a slower caller that signed an older size must not replace a newer checkpoint.
        while (true)
        {
            var current = Volatile.Read(ref _latest);
            if (current is not null && current.Size >= size)
            {
                return signed;
            }

            if (Interlocked.CompareExchange(ref _latest, signed, current) == current)
            {
                return signed;
            }
        }
    }

    public ValueTask<byte[]> RootAsync(long size, CancellationToken cancellationToken = default) =>
        ComputeAsync(nodes => MerkleProofs.Root(nodes, size), cancellationToken);

    public async ValueTask<byte[]> LeafHashAsync(long index, CancellationToken cancellationToken = default)
    {
        var nodes = await store.ReadNodesAsync([new NodeId(0, index)], cancellationToken);
        return nodes.TryGetValue(new NodeId(0, index), out var hash) ? hash : throw Damaged();
    }

    /// <summary>The inclusion proof of each index in the tree of <paramref name="size"/>, from one read.</summary>
    public ValueTask<List<List<byte[]>>> InclusionProofsAsync(IReadOnlyList<long> indices, long size, CancellationToken cancellationToken = default) =>
        ComputeAsync(nodes => indices.Select(i => MerkleProofs.Inclusion(nodes, i, size)).ToList(), cancellationToken);

    public ValueTask<List<byte[]>> ConsistencyProofAsync(long oldSize, long newSize, CancellationToken cancellationToken = default) =>
        ComputeAsync(nodes => MerkleProofs.Consistency(nodes, oldSize, newSize), cancellationToken);

    private async ValueTask<T> ComputeAsync<T>(Func<IMerkleNodes, T> compute, CancellationToken cancellationToken)
    {
        var plan = new PlannedNodes();
        compute(plan);
        if (plan.Needed.Count == 0)
        {
            return compute(plan);
        }

        var nodes = new Dictionary<NodeId, byte[]>(plan.Needed.Count);
        var missing = new List<NodeId>(plan.Needed.Count);
        foreach (var node in plan.Needed)
        {
            if (_upper.TryGet(node, out var hash))
            {
                nodes.Add(node, hash);
            }
            else
            {
                missing.Add(node);
            }
        }

        if (missing.Count > 0)
        {
            var fetched = await store.ReadNodesAsync(missing, cancellationToken);
            if (fetched.Count != missing.Count)
            {
                throw Damaged();
            }

            foreach (var (node, hash) in fetched)
            {
                nodes.Add(node, hash);
                _upper.Add(node, hash);
            }
        }

        return compute(new FetchedNodes(nodes));
    }

    private static InvalidOperationException Damaged() =>
        new("the log is missing stored subtrees it should have: the database is damaged or was edited");

    /// <summary>Records which subtrees a computation reads; the hashes it gets back are placeholders.</summary>
    private sealed class PlannedNodes : IMerkleNodes
    {
        private static readonly byte[] Placeholder = new byte[MerkleHash.Size];

        public HashSet<NodeId> Needed { get; } = [];

        public byte[] Subtree(int level, long index)
        {
            Needed.Add(new NodeId(level, index));
            return Placeholder;
        }
    }

    private sealed class FetchedNodes(IReadOnlyDictionary<NodeId, byte[]> nodes) : IMerkleNodes
    {
        public byte[] Subtree(int level, long index) => nodes[new NodeId(level, index)];
    }
}
