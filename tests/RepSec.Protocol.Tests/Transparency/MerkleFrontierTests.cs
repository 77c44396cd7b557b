using System.Text;
using RepSec.Protocol.Transparency;
using static RepSec.Protocol.Tests.Transparency.MerkleReference;

namespace RepSec.Protocol.Tests.Transparency;

public sealed class MerkleFrontierTests
{
    [Fact]
    public void Appending_gives_the_reference_root_and_stores_every_complete_subtree_for_sizes_0_to_130()
    {
        var leaves = Enumerable.Range(0, 130).Select(i => Encoding.UTF8.GetBytes($"leaf {i}")).ToArray();
        var stored = new Dictionary<(int, long), byte[]>();
        var frontier = MerkleFrontier.Empty();
        Assert.Equal(RefMth([]), frontier.Root());
        for (var n = 1; n <= leaves.Length; n++)
        {
            var leafHash = RefLeaf(leaves[n - 1]);
            stored[(0, n - 1)] = leafHash;
            Assert.Equal(n - 1, frontier.Append(leafHash, (level, index, hash) => stored.Add((level, index), hash)));
            Assert.Equal(n, frontier.Size);
            Assert.Equal(RefMth(leaves[..n]), frontier.Root());

            // A frontier loaded from the stored subtrees is the same frontier.
            Assert.Equal(frontier.Root(), MerkleFrontier.Load(n, (level, index) => stored[(level, index)]).Root());
        }

        // Exactly the complete aligned subtrees were stored, each with its reference hash.
        for (var level = 1; (1 << level) <= leaves.Length; level++)
        {
            for (var index = 0; (index + 1) << level <= leaves.Length; index++)
            {
                Assert.Equal(RefMth(leaves[(index << level)..((index + 1) << level)]), stored[(level, index)]);
            }
        }

        Assert.Equal((2 * leaves.Length) - System.Numerics.BitOperations.PopCount((uint)leaves.Length), stored.Count);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "0:0")]
    [InlineData(6, "2:0 1:2")]
    [InlineData(13, "3:0 2:2 0:12")]
    public void Peaks_are_the_size_decomposition_largest_first(long size, string expected) =>
        Assert.Equal(expected, string.Join(' ', MerkleFrontier.Peaks(size).Select(p => $"{p.Level}:{p.Index}")));
}
