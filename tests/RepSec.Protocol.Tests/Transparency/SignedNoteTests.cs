using RepSec.Protocol.Transparency;

namespace RepSec.Protocol.Tests.Transparency;

public sealed class SignedNoteTests
{
    [Fact]
    public void The_published_example_note_verifies_under_its_key()
    {
        // The example of the C2SP signed-note specification (and Go's sumdb/note package).
        const string VerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        const string Note = "If you think cryptography is the answer to your problem,\n" +
            "then you don't know what your problem is.\n" +
            "\n" +
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

        Assert.Equal("If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
            SignedNote.Open(Note, VerifierKey));
    }

    [Fact]
    public void Signed_checkpoints_verify_and_any_change_breaks_them()
    {
        var privateKey = SignedNote.NewPrivateKey();
        var verifierKey = SignedNote.VerifierKey("repsec.example/log", SignedNote.PublicKey(privateKey));
        const string Body = "repsec.example/log\n42\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n";

        var note = SignedNote.Sign(Body, "repsec.example/log", privateKey);
        var other = SignedNote.VerifierKey("repsec.example/log", SignedNote.PublicKey(SignedNote.NewPrivateKey()));

        Assert.Equal(Body, SignedNote.Open(note, verifierKey));
        Assert.Null(SignedNote.Open(note.Replace("\n42\n", "\n43\n", StringComparison.Ordinal), verifierKey));
        Assert.Null(SignedNote.Open(note, other));
        Assert.Null(SignedNote.Open(note[..^2] + "A\n", verifierKey));
        Assert.Null(SignedNote.Open(Body, verifierKey));
    }
}
