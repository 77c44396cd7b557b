using System.Text.Json.Nodes;
using RepSec.Client.Transparency;
using RepSec.Protocol.Transparency;
using RepSec.Testing.Transparency;

namespace RepSec.Client.Tests.Transparency;

/// <summary>LogVerifier.VerifyAudit on AUDIT answers from a log built in the test, honest and tampered with.</summary>
public sealed class LogVerifierAuditTests
{
    private readonly SyntheticLog _log = SyntheticLog.Standard();

    /// <summary>example.com's history (entries 1, 4, 5) as its first owner sees it: alice shown, bob withheld.</summary>
    private JsonObject Answer() => _log.AuditAnswer("example.com", "domain", "domain\nexample.com", "alice");

    private AuditVerification Verify(JsonObject answer, string entity = "Example.COM.", string? type = null, string? key = null) =>
        LogVerifier.VerifyAudit(SyntheticLog.Read(answer), entity, type, key ?? _log.VerifierKey);

    private static JsonObject Entry(JsonObject answer, int position) => (JsonObject)answer["entries"]![position]!;

    private static LogCheckFailure Single(AuditVerification verification)
    {
        Assert.False(verification.Verified);
        return Assert.Single(verification.Failures);
    }

    [Fact]
    public void An_honest_answer_verifies_every_entry()
    {
        var verification = Verify(Answer(), type: "domain");

        Assert.True(verification.Verified, string.Join("; ", verification.Failures));
        Assert.Equal([1L, 4, 5], verification.Included);
        Assert.Equal((SyntheticLog.Origin, 10L), (verification.Checkpoint.Origin, verification.Checkpoint.Size));
        Assert.Equal(_log.Root(10), verification.Checkpoint.Root);
    }

    [Fact]
    public void An_organization_is_checked_under_its_folded_key()
    {
        var answer = _log.AuditAnswer("Straße AG", "organization", "organization\nstrasse ag", "carol");

        var verification = Verify(answer, entity: "STRASSE  AG");

        Assert.True(verification.Verified, string.Join("; ", verification.Failures));
        Assert.Equal([7L], verification.Included);
    }

    [Fact]
    public void A_changed_actor_fails_the_actor_opening()
    {
        var answer = Answer();
        Entry(answer, 0)["actor"] = "mallory";

        var failure = Single(Verify(answer));

        Assert.Equal((LogCheck.Actor, 1L), (failure.Check, failure.LogIndex));
        Assert.Contains("mallory", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_actor_shown_without_its_opening_fails()
    {
        var answer = Answer();
        Entry(answer, 2)["actor"] = "bob";

        var failure = Single(Verify(answer));

        Assert.Equal((LogCheck.Actor, 5L), (failure.Check, failure.LogIndex));
    }

    [Theory]
    [InlineData("time", "2026-11-22T10:00:04.105Z")]
    [InlineData("time", "2026-11-22T10:00:04.104+00:00")]
    [InlineData("action", "register")]
    [InlineData("log_index", 3)]
    public void A_changed_entry_is_not_included(string member, object value)
    {
        var answer = Answer();
        Entry(answer, 1)[member] = value is int number ? JsonValue.Create(number) : JsonValue.Create((string)value);

        var failure = Single(Verify(answer));

        Assert.Equal(LogCheck.Inclusion, failure.Check);
        Assert.Equal(member == "log_index" ? 3L : 4L, failure.LogIndex);
    }

    [Fact]
    public void A_flipped_bit_in_a_proof_hash_fails_inclusion()
    {
        var answer = Answer();
        var inclusion = (JsonArray)Entry(answer, 2)["inclusion"]!;
        var hash = Convert.FromBase64String(inclusion[1]!.GetValue<string>());
        hash[7] ^= 0x04;
        inclusion[1] = SyntheticLog.B64(hash);

        var failure = Single(Verify(answer));

        Assert.Equal((LogCheck.Inclusion, 5L), (failure.Check, failure.LogIndex));
    }

    [Fact]
    public void A_changed_commitment_fails_its_opening_or_inclusion()
    {
        var answer = Answer();
        ((JsonObject)Entry(answer, 0)["leaf"]!)["record"] = SyntheticLog.B64(new byte[32]);

        var failure = Single(Verify(answer));

        Assert.Equal((LogCheck.Inclusion, 1L), (failure.Check, failure.LogIndex));
    }

    [Fact]
    public void Asking_about_another_entity_fails_every_subject_opening()
    {
        var verification = Verify(Answer(), entity: "other.example");

        Assert.False(verification.Verified);
        Assert.Contains(verification.Failures, f => f.Check == LogCheck.Entity);
        Assert.Equal([1L, 4, 5], verification.Failures.Where(f => f.Check == LogCheck.Subject).Select(f => f.LogIndex!.Value));
        Assert.Empty(verification.Included);
    }

    [Fact]
    public void Another_entitys_genuine_history_under_the_requested_name_fails()
    {
        // Every proof in this answer is genuine; only its subject is wrong. The client's own key catches it.
        var answer = _log.AuditAnswer("example.com", "domain", "domain\nother.example", "bob");

        var verification = Verify(answer);

        Assert.False(verification.Verified);
        Assert.All(verification.Failures, f => Assert.Equal(LogCheck.Subject, f.Check));
        Assert.Equal([2L, 8], verification.Failures.Select(f => f.LogIndex!.Value));
    }

    [Fact]
    public void An_answer_for_another_type_fails()
    {
        var failure = Verify(Answer(), type: "userid").Failures[0];

        Assert.Equal(LogCheck.Entity, failure.Check);
    }

    [Fact]
    public void A_checkpoint_signed_by_another_key_fails_the_signature()
    {
        var answer = Answer();
        answer["checkpoint"] = _log.Checkpoint(10, SignedNote.NewPrivateKey());

        var verification = Verify(answer);

        Assert.Equal(LogCheck.Signature, Single(verification).Check);
        Assert.Null(verification.Checkpoint);
    }

    [Fact]
    public void A_checkpoint_under_another_origin_fails_even_with_the_right_key()
    {
        var answer = Answer();
        answer["checkpoint"] = SignedNote.Sign($"other.test/log\n10\n{SyntheticLog.B64(_log.Root(10))}\n", SyntheticLog.Origin, _log.PrivateKey);

        Assert.Equal(LogCheck.Origin, Single(Verify(answer)).Check);
    }

    [Fact]
    public void An_edited_checkpoint_size_breaks_the_signature()
    {
        var answer = Answer();
        answer["checkpoint"] = answer["checkpoint"]!.GetValue<string>().Replace("\n10\n", "\n11\n", StringComparison.Ordinal);
        answer["tree_size"] = 11;

        Assert.Equal(LogCheck.Signature, Single(Verify(answer)).Check);
    }

    [Fact]
    public void A_tree_size_other_than_the_checkpoints_fails()
    {
        var answer = Answer();
        answer["tree_size"] = 9;

        Assert.Equal(LogCheck.TreeSize, Single(Verify(answer)).Check);
    }

    [Fact]
    public void Entries_out_of_order_or_beyond_the_tree_fail()
    {
        var swapped = Answer();
        var entries = (JsonArray)swapped["entries"]!;
        var first = entries[0]!;
        entries.RemoveAt(0);
        entries.Add(first);
        var truncated = _log.AuditAnswer("example.com", "domain", "domain\nexample.com", "alice");
        truncated["checkpoint"] = _log.Checkpoint(5);
        truncated["tree_size"] = 5;

        var outOfOrder = Single(Verify(swapped));
        var beyond = Verify(truncated).Failures;

        Assert.Equal((LogCheck.Order, 1L), (outOfOrder.Check, outOfOrder.LogIndex));
        Assert.Contains(beyond, f => f.Check == LogCheck.Order && f.LogIndex == 5);
        Assert.Contains(beyond, f => f.Check == LogCheck.Inclusion && f.LogIndex == 1);
    }

    [Fact]
    public void An_answer_without_proofs_still_parses_but_does_not_verify()
    {
        var answer = Answer();
        answer.Remove("checkpoint");
        answer.Remove("tree_size");
        foreach (var entry in ((JsonArray)answer["entries"]!).Cast<JsonObject>())
        {
            entry.Remove("leaf");
            entry.Remove("opening");
            entry.Remove("inclusion");
        }

        var result = SyntheticLog.Read(answer);
        var verification = LogVerifier.VerifyAudit(result, "example.com", null, _log.VerifierKey);

        Assert.Equal(3, result.Entries.Count);
        Assert.All(result.Entries, e => Assert.Null(e.Inclusion));
        Assert.Equal(LogCheck.MissingProof, Single(verification).Check);
    }

    [Fact]
    public void A_malformed_pinned_key_is_reported()
    {
        var key = _log.VerifierKey;

        Assert.True(LogVerifier.IsVerifierKey(key));
        Assert.False(LogVerifier.IsVerifierKey(key[..^4]));
        Assert.False(LogVerifier.IsVerifierKey(key.Replace("+", "+0", StringComparison.Ordinal)));
        Assert.Equal(LogCheck.Signature, Single(Verify(Answer(), key: "repsec.test/log+00000000+AAAA")).Check);
    }
}
