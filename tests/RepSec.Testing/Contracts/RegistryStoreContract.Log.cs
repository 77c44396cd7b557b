using RepSec.Core.Registry;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Testing.Contracts;

/// <summary>The transparency log every registry store keeps beside the registry.</summary>
public abstract partial class RegistryStoreContract
{
    private ITransparencyLogStore Log => (ITransparencyLogStore)Store;

    private TransparencyLog Transparency => new(Log, new LogSigningKey("contract.example/log", SignedNote.NewPrivateKey()));

    /// <summary>Every entry of every given entity, rebuilt into its leaf hash from what the history returns.</summary>
    private async Task<SortedDictionary<long, byte[]>> LeavesAsync(params string[] keys)
    {
        var leaves = new SortedDictionary<long, byte[]>();
        foreach (var key in keys)
        {
            foreach (var entry in await Store.GetHistoryAsync(EntityType.Domain, key))
            {
                leaves[entry.Index] = LogEntryDraft.Leaf(entry.Index, entry.Action, entry.At, entry.Commitments).Hash();
            }
        }

        return leaves;
    }

    [SkippableFact]
    public async Task Every_write_is_one_leaf_of_one_tree_whose_root_the_log_reproduces()
    {
        var keys = Enumerable.Range(0, 37).Select(i => $"t{i}.example").ToArray();
        await Task.WhenAll(keys.Select(k => Store.RegisterAsync(Registration(k)).AsTask()));
        await Store.RemoveAsync(Removal.Create(EntityType.Domain, "t3.example", "alice", "alice", At));

        var leaves = await LeavesAsync(keys);
        Assert.Equal(38L, await Log.GetTreeSizeAsync());
        Assert.Equal(Enumerable.Range(0, 38).Select(i => (long)i), leaves.Keys);

        // An independent root over the rebuilt leaves (RFC 9162 MTH, recursively) equals the log's.
        static byte[] Mth(byte[][] d) => d.Length == 1 ? d[0]
            : MerkleHash.Node(Mth(d[..Split(d.Length)]), Mth(d[Split(d.Length)..]));
        static int Split(int n) => 1 << System.Numerics.BitOperations.Log2((uint)(n - 1));
        var transparency = Transparency;
        Assert.Equal(Mth([.. leaves.Values]), await transparency.RootAsync(38));

        var checkpoint = await transparency.LatestCheckpointAsync();
        var proofs = await transparency.InclusionProofsAsync([0, 17, 37], checkpoint.Size);
        Assert.True(MerkleProofs.VerifyInclusion(leaves[17], 17, 38, proofs[1], checkpoint.Root));
        Assert.False(MerkleProofs.VerifyInclusion(leaves[16], 17, 38, proofs[1], checkpoint.Root));
        Assert.Equal(checkpoint.Root, Checkpoint.OpenSigned(checkpoint.Note, transparency.Key.VerifierKey)!.Root);
    }

    [SkippableFact]
    public async Task Older_trees_are_prefixes_of_newer_ones()
    {
        var transparency = Transparency;
        await Store.RegisterAsync(Registration("p0.example"));
        var before = await transparency.LatestCheckpointAsync();
        for (var i = 1; i < 20; i++)
        {
            await Store.RegisterAsync(Registration($"p{i}.example"));
        }

        var after = await transparency.LatestCheckpointAsync();
        var proof = await transparency.ConsistencyProofAsync(before.Size, after.Size);
        Assert.Equal((1L, 20L), (before.Size, after.Size));
        Assert.True(MerkleProofs.VerifyConsistency(before.Size, after.Size, before.Root, after.Root, proof));
        Assert.Equal(after.Note, (await transparency.LatestCheckpointAsync()).Note);
    }

    [SkippableFact]
    public async Task Purging_forgets_who_and_what_but_keeps_every_leaf_and_the_live_registration()
    {
        await Store.RegisterAsync(Registration("gone.example"));
        await Store.RemoveAsync(Removal.Create(EntityType.Domain, "gone.example", "alice", "alice", At));
        await Store.RegisterAsync(Registration("kept.example"));
        var transparency = Transparency;
        var root = await transparency.RootAsync(3);

        Assert.Equal(2, await Log.PurgeAsync(At.AddDays(1)));

        Assert.Empty(await Store.GetHistoryAsync(EntityType.Domain, "gone.example"));
        Assert.Single(await Store.GetHistoryAsync(EntityType.Domain, "kept.example"));
        Assert.True(RecordDigest.Matches((await Store.FindAsync(EntityType.Domain, "kept.example"))!));
        Assert.Equal(root, await transparency.RootAsync(3));
        Assert.Equal(0, await Log.PurgeAsync(At.AddDays(1)));
        Assert.Equal(0, await Log.PurgeAsync(At.AddDays(-1)));
    }

    [SkippableFact]
    public async Task The_log_survives_reopening_and_keeps_growing_the_same_tree()
    {
        for (var i = 0; i < 11; i++)
        {
            await Store.RegisterAsync(Registration($"re{i}.example"));
        }

        var root = await Transparency.RootAsync(11);
        await ReopenAsync();
        await Store.RegisterAsync(Registration("re11.example"));

        var transparency = Transparency;
        var proof = await transparency.ConsistencyProofAsync(11, 12);
        var newRoot = await transparency.RootAsync(12);
        Assert.True(MerkleProofs.VerifyConsistency(11, 12, root, newRoot, proof));
    }

    [SkippableFact]
    public async Task Proofs_from_kept_upper_subtrees_equal_proofs_read_from_the_store()
    {
        // 700 leaves: complete subtrees of 256 and 512 leaves exist, which the log keeps once read.
        await Task.WhenAll(Enumerable.Range(0, 700).Select(i => Store.RegisterAsync(Registration($"u{i}.example")).AsTask()));
        var counting = new CountingLogStore(Log);
        var kept = new TransparencyLog(counting, new LogSigningKey("contract.example/log", SignedNote.NewPrivateKey()));
        long[] indices = [0, 300, 511, 512, 699];

        var first = await kept.InclusionProofsAsync(indices, 700);
        var readFirst = counting.Read;
        var second = await kept.InclusionProofsAsync(indices, 700);
        var fresh = await Transparency.InclusionProofsAsync(indices, 700);

        Assert.Equal(fresh, first);
        Assert.Equal(fresh, second);
        Assert.Contains(counting.Requested, n => n.Level >= 8);
        Assert.True(counting.Read - readFirst < readFirst, "the second proof read the upper subtrees again");
        Assert.Equal(await Transparency.ConsistencyProofAsync(300, 700), await kept.ConsistencyProofAsync(300, 700));
        Assert.Equal(await Transparency.RootAsync(600), await kept.RootAsync(600));
    }

    private sealed class CountingLogStore(ITransparencyLogStore inner) : ITransparencyLogStore
    {
        public int Read { get; private set; }

        public List<NodeId> Requested { get; } = [];

        public ValueTask<long> GetTreeSizeAsync(CancellationToken cancellationToken = default) => inner.GetTreeSizeAsync(cancellationToken);

        public ValueTask<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> nodes, CancellationToken cancellationToken = default)
        {
            Read += nodes.Count;
            Requested.AddRange(nodes);
            return inner.ReadNodesAsync(nodes, cancellationToken);
        }

        public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => inner.PurgeAsync(cutoff, cancellationToken);
    }
}
