using System.Security.Cryptography;
using System.Text;
using RepSec.Protocol.Transparency;
using static RepSec.Protocol.Tests.Transparency.MerkleReference;

namespace RepSec.Protocol.Tests.Transparency;

/// <summary>
/// Known answers built by an independent reference: the RFC 9162 recursive definitions of MTH, PATH and PROOF
/// evaluated directly over the leaves, with SHA-256 called here rather than through <see cref="MerkleHash"/>.
/// </summary>
public sealed class MerkleProofsTests
{
    private static byte[][] Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes($"{{\"entry\":{i}}}"))];

    /// <summary>Stores every complete aligned subtree, as a log would while appending.</summary>
    private sealed class MemoryNodes : IMerkleNodes
    {
        private readonly Dictionary<(int, long), byte[]> _nodes = [];

        public MemoryNodes(byte[][] leaves)
        {
            for (var i = 0; i < leaves.Length; i++)
            {
                _nodes[(0, i)] = MerkleHash.Leaf(leaves[i]);
            }

            for (var level = 1; (1L << level) <= leaves.Length; level++)
            {
                for (long index = 0; (index + 1) << level <= leaves.Length; index++)
                {
                    _nodes[(level, index)] = MerkleHash.Node(_nodes[(level - 1, 2 * index)], _nodes[(level - 1, (2 * index) + 1)]);
                }
            }
        }

        public int Reads { get; private set; }

        public byte[] Subtree(int level, long index)
        {
            Reads++;
            return _nodes[(level, index)];
        }
    }

    [Fact]
    public void Roots_inclusion_and_consistency_proofs_match_the_reference_for_sizes_1_to_64()
    {
        for (var n = 1; n <= 64; n++)
        {
            var leaves = Leaves(n);
            var nodes = new MemoryNodes(leaves);
            var root = MerkleProofs.Root(nodes, n);
            Assert.Equal(RefMth(leaves), root);

            for (var m = 0; m < n; m++)
            {
                var proof = MerkleProofs.Inclusion(nodes, m, n);
                Assert.Equal(RefPath(m, leaves), proof);
                Assert.True(MerkleProofs.VerifyInclusion(RefLeaf(leaves[m]), m, n, proof, root), $"inclusion {m} of {n}");
            }

            for (var m = 1; m <= n; m++)
            {
                var proof = MerkleProofs.Consistency(nodes, m, n);
                Assert.Equal(m == n ? [] : RefSubProof(m, leaves, true), proof);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, RefMth(leaves[..m]), root, proof), $"consistency {m} to {n}");
            }
        }
    }

    [Fact]
    public void Empty_tree_has_the_hash_of_nothing_and_is_consistent_with_everything()
    {
        var nodes = new MemoryNodes(Leaves(5));

        Assert.Equal(SHA256.HashData([]), MerkleProofs.Root(nodes, 0));
        Assert.True(MerkleProofs.VerifyConsistency(0, 5, MerkleProofs.Root(nodes, 0), MerkleProofs.Root(nodes, 5), []));
    }

    [Fact]
    public void Random_proofs_verify_and_every_tampering_fails()
    {
        var random = new Random(9162);
        var leaves = Leaves(1000);
        var nodes = new MemoryNodes(leaves);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(2, 1001);
            var root = MerkleProofs.Root(nodes, n);
            var m = random.Next(n);
            var leaf = MerkleHash.Leaf(leaves[m]);
            var path = MerkleProofs.Inclusion(nodes, m, n);
            Assert.True(MerkleProofs.VerifyInclusion(leaf, m, n, path, root));
            Assert.False(MerkleProofs.VerifyInclusion(MerkleHash.Leaf([.. leaves[m], 0x20]), m, n, path, root));
            if ((m ^ 1) < n)
            {
                // The neighbouring index puts the first sibling on the other side.
                Assert.False(MerkleProofs.VerifyInclusion(leaf, m ^ 1, n, path, root));
            }

            Assert.False(MerkleProofs.VerifyInclusion(leaf, n, n, path, root));
            if (path.Count > 0)
            {
                var tampered = path.Select(p => (byte[])p.Clone()).ToList();
                tampered[random.Next(tampered.Count)][random.Next(MerkleHash.Size)] ^= 0x01;
                Assert.False(MerkleProofs.VerifyInclusion(leaf, m, n, tampered, root));
                Assert.False(MerkleProofs.VerifyInclusion(leaf, m, n, path.Take(path.Count - 1).ToList(), root));
            }

            var old = random.Next(1, n);
            var oldRoot = MerkleProofs.Root(nodes, old);
            var consistency = MerkleProofs.Consistency(nodes, old, n);
            Assert.True(MerkleProofs.VerifyConsistency(old, n, oldRoot, root, consistency));
            var forged = consistency.Select(p => (byte[])p.Clone()).ToList();
            forged[random.Next(forged.Count)][random.Next(MerkleHash.Size)] ^= 0x80;
            Assert.False(MerkleProofs.VerifyConsistency(old, n, oldRoot, root, forged));
            var rewritten = MerkleProofs.Root(new MemoryNodes([.. leaves[..(old - 1)], [0x42], .. leaves[old..n]]), old);
            Assert.False(MerkleProofs.VerifyConsistency(old, n, rewritten, root, consistency));
        }
    }

    [Fact]
    public void A_proof_reads_a_logarithmic_number_of_stored_subtrees()
    {
        var leaves = Leaves(1000);
        var nodes = new MemoryNodes(leaves);

        MerkleProofs.Inclusion(nodes, 777, 1000);
        var inclusionReads = nodes.Reads;

        Assert.InRange(inclusionReads, 1, 2 * 10);
    }
}
