using RepSec.Protocol.Transparency;

namespace RepSec.Protocol.Tests.Transparency;

public sealed class CheckpointTests
{
    [Fact]
    public void A_signed_checkpoint_round_trips_and_a_forged_one_is_refused()
    {
        var key = SignedNote.NewPrivateKey();
        var verifier = SignedNote.VerifierKey("localhost/repsec", SignedNote.PublicKey(key));
        var checkpoint = new Checkpoint("localhost/repsec", 1234, MerkleHash.Leaf("x"u8));

        var note = checkpoint.Sign(key);
        var opened = Checkpoint.OpenSigned(note, verifier);

        Assert.StartsWith("localhost/repsec\n1234\n", note, StringComparison.Ordinal);
        Assert.NotNull(opened);
        Assert.Equal((checkpoint.Origin, checkpoint.Size), (opened.Origin, opened.Size));
        Assert.Equal(checkpoint.Root, opened.Root);
        Assert.Null(Checkpoint.OpenSigned(note.Replace("\n1234\n", "\n1235\n", StringComparison.Ordinal), verifier));
    }

    [Theory]
    [InlineData("origin\n12\n")]
    [InlineData("origin\n012\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n")]
    [InlineData("origin\n-1\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n")]
    [InlineData("origin\n12\nnot base64\n")]
    [InlineData("origin\n12\nAAAA\n")]
    [InlineData("\n12\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n")]
    [InlineData("origin\n12\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=")]
    public void Malformed_bodies_are_refused(string body) => Assert.Null(Checkpoint.Parse(body));

    [Fact]
    public void Extension_lines_are_allowed()
    {
        var parsed = Checkpoint.Parse("origin\n12\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\nextension line\n");

        Assert.Equal(12, parsed?.Size);
    }
}
