using System.Text.Json;
using RepSec.Client.Transparency;
using RepSec.Client.Wire;
using RepSec.Protocol.Transparency;
using RepSec.Testing.Transparency;

namespace RepSec.Client.Tests.Transparency;

/// <summary>LogVerifier on checkpoints and consistency: a real prefix passes, a fork or a shrink is caught.</summary>
public sealed class LogVerifierConsistencyTests
{
    private readonly SyntheticLog _log = SyntheticLog.Standard();

    private ConsistencyVerification Verify(string older, string newer, IReadOnlyList<byte[]> proof) =>
        LogVerifier.VerifyConsistency(older, newer, proof, _log.VerifierKey);

    [Fact]
    public void Every_prefix_of_the_log_is_consistent_with_every_later_size()
    {
        for (var from = 1; from <= 10; from++)
        {
            for (var to = from; to <= 10; to++)
            {
                var verification = Verify(_log.Checkpoint(from), _log.Checkpoint(to), MerkleProofs.Consistency(_log.Nodes, from, to));

                Assert.True(verification.Verified, $"{from} -> {to}: {string.Join("; ", verification.Failures)}");
                Assert.Equal((from, to), ((int)verification.Older.Size, (int)verification.Newer.Size));
            }
        }
    }

    [Fact]
    public void A_log_that_rewrote_an_earlier_leaf_is_a_fork()
    {
        var forked = _log.Rewrite(2, e => e with { Actor = "mallory" });
        var proof = MerkleProofs.Consistency(forked.Nodes, 4, 10);

        var verification = Verify(_log.Checkpoint(4), forked.Checkpoint(10), proof);

        Assert.False(verification.Verified);
        Assert.True(verification.Forked);
        Assert.Equal(LogCheck.Consistency, Assert.Single(verification.Failures).Check);
    }

    [Fact]
    public void Only_the_past_is_fixed_a_proof_from_the_honest_log_does_not_rescue_a_rewrite()
    {
        var rewrittenPast = _log.Rewrite(2, e => e with { Action = "remove" });
        var rewrittenFuture = _log.Rewrite(9, e => e with { Action = "remove" });

        var past = Verify(_log.Checkpoint(4), rewrittenPast.Checkpoint(10), MerkleProofs.Consistency(_log.Nodes, 4, 10));
        var future = Verify(_log.Checkpoint(4), rewrittenFuture.Checkpoint(10), MerkleProofs.Consistency(rewrittenFuture.Nodes, 4, 10));

        Assert.True(past.Forked);
        Assert.True(future.Verified); // entry 9 came after the older checkpoint, so this is a different future, not a fork
    }

    [Fact]
    public void Two_roots_for_one_size_are_a_fork()
    {
        var forked = _log.Rewrite(0, e => e with { At = "2026-11-22T09:59:59.999Z" });

        var verification = Verify(_log.Checkpoint(10), forked.Checkpoint(10), []);

        var failure = Assert.Single(verification.Failures);
        Assert.Equal(LogCheck.Consistency, failure.Check);
        Assert.Contains("two different roots", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_that_shrank_fails()
    {
        var verification = Verify(_log.Checkpoint(10), _log.Checkpoint(7), []);

        Assert.True(verification.Forked);
        Assert.Equal(LogCheck.Shrank, Assert.Single(verification.Failures).Check);
    }

    [Fact]
    public void Checkpoints_not_signed_by_the_pinned_key_fail_before_any_proof()
    {
        var stranger = _log.Checkpoint(10, SignedNote.NewPrivateKey());

        var verification = Verify(_log.Checkpoint(4), stranger, MerkleProofs.Consistency(_log.Nodes, 4, 10));

        var failure = Assert.Single(verification.Failures);
        Assert.Equal(LogCheck.Signature, failure.Check);
        Assert.StartsWith("the newer checkpoint:", failure.Message, StringComparison.Ordinal);
        Assert.False(verification.Forked);
    }

    [Fact]
    public void A_proof_answer_for_other_sizes_or_another_root_fails()
    {
        var answer = new ConsistencyProofResult(3, 10, MerkleProofs.Consistency(_log.Nodes, 4, 10), _log.Root(9), null);

        var failures = LogVerifier.VerifyConsistency(_log.Checkpoint(4), _log.Checkpoint(10), answer, _log.VerifierKey).Failures;

        Assert.Equal([LogCheck.TreeSize, LogCheck.Root], failures.Select(f => f.Check));
    }

    [Fact]
    public void A_checkpoint_answer_must_agree_with_its_signed_note()
    {
        var honest = Read(_log.Checkpoint(10), SyntheticLog.Origin, 10, _log.Root(10));
        var lying = Read(_log.Checkpoint(10), SyntheticLog.Origin, 12, _log.Root(9));

        var verified = LogVerifier.VerifyCheckpoint(honest, _log.VerifierKey);
        var failed = LogVerifier.VerifyCheckpoint(lying, _log.VerifierKey);

        Assert.True(verified.Verified);
        Assert.Equal(10, verified.Checkpoint.Size);
        Assert.Equal([LogCheck.TreeSize, LogCheck.Root], failed.Failures.Select(f => f.Check));
    }

    [Fact]
    public void Hello_exposes_the_logs_origin_and_key()
    {
        var response = JsonDocument.Parse($$"""
            {"status":200,"protocol":"repsec/1","commands":["PING"],"extensions":[
              {"name":"transparency","version":"1","commands":["CHECKPOINT"],"origin":"{{SyntheticLog.Origin}}","log_key":"{{_log.VerifierKey}}"},
              {"name":"other","version":"2","commands":[]}]}
            """).RootElement;

        var hello = ResultReader.Hello(response);

        var transparency = hello.Extensions.Single(e => e.Name == ExtensionInfo.Transparency);
        Assert.Equal((SyntheticLog.Origin, _log.VerifierKey), (transparency.Origin, transparency.LogKey));
        Assert.Null(hello.Extensions.Single(e => e.Name == "other").LogKey);
    }

    private static CheckpointResult Read(string note, string origin, long size, byte[] root) =>
        ResultReader.Checkpoint(JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = 200,
            ["checkpoint"] = note,
            ["origin"] = origin,
            ["tree_size"] = size,
            ["root"] = Convert.ToBase64String(root),
        })).RootElement);
}
