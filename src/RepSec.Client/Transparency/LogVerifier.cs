using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RepSec.Protocol.Transparency;

namespace RepSec.Client.Transparency;

/// <summary>
/// Checks what a RepSec transparency log serves against a pinned verifier key, without trusting the server:
/// signed checkpoints, AUDIT answers with their inclusion proofs, and consistency between two checkpoints. Every
/// method reports each check that failed instead of throwing.
/// </summary>
public static partial class LogVerifier
{
    /// <summary>Whether <paramref name="text"/> is an Ed25519 verifier key, <c>NAME+hex(keyhash)+base64(0x01 || key)</c>.</summary>
    public static bool IsVerifierKey(string text) => KeyName(text) is not null;

    /// <summary>Opens a checkpoint note: signed by <paramref name="verifierKey"/>, a checkpoint body, and the key's name as its origin.</summary>
    /// <param name="note">The signed note, such as <see cref="AuditResult.Checkpoint"/>.</param>
    /// <param name="verifierKey">The pinned verifier key.</param>
    public static CheckpointVerification OpenCheckpoint(string note, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(verifierKey);
        if (KeyName(verifierKey) is not { } name)
        {
            return new(null, [new(LogCheck.Signature, "the pinned key is not a verifier key (NAME+hex(keyhash)+base64(0x01 || key))")]);
        }

        if (SignedNote.Open(note, verifierKey) is not { } body)
        {
            return new(null, [new(LogCheck.Signature, $"the checkpoint carries no valid signature by the pinned key {name}")]);
        }

        if (Checkpoint.Parse(body) is not { } checkpoint)
        {
            return new(null, [new(LogCheck.Signature, "the signed note is not a checkpoint (origin, size and root lines)")]);
        }

        return checkpoint.Origin == name
            ? new(checkpoint, [])
            : new(null, [new(LogCheck.Origin, $"the checkpoint's origin '{checkpoint.Origin}' is not the pinned key's name '{name}'")]);
    }

    /// <summary>Opens a CHECKPOINT answer and checks that its plain members say what the signed note says.</summary>
    /// <param name="result">The answer.</param>
    /// <param name="verifierKey">The pinned verifier key.</param>
    public static CheckpointVerification VerifyCheckpoint(CheckpointResult result, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(result);
        var opened = OpenCheckpoint(result.Checkpoint, verifierKey);
        if (!opened.Verified)
        {
            return opened;
        }

        var signed = opened.Checkpoint;
        var failures = new List<LogCheckFailure>();
        if (result.Origin != signed.Origin)
        {
            failures.Add(new(LogCheck.Origin, $"origin '{result.Origin}' differs from the signed checkpoint's '{signed.Origin}'"));
        }

        if (result.TreeSize != signed.Size)
        {
            failures.Add(new(LogCheck.TreeSize, $"tree_size {Number(result.TreeSize)} differs from the signed checkpoint's size {Number(signed.Size)}"));
        }

        if (!result.Root.AsSpan().SequenceEqual(signed.Root))
        {
            failures.Add(new(LogCheck.Root, $"root {Hash(result.Root)} differs from the signed checkpoint's root {Hash(signed.Root)}"));
        }

        return opened with { Failures = failures };
    }

    /// <summary>
    /// Checks that the log of <paramref name="newerNote"/> extends the log of <paramref name="olderNote"/>: both
    /// signed by the pinned key (so from the same log), the newer no smaller, equal sizes with equal roots, and
    /// the RFC 9162 section 2.1.4.2 consistency proof between them.
    /// </summary>
    /// <param name="olderNote">The checkpoint seen before, as saved.</param>
    /// <param name="newerNote">The checkpoint seen now.</param>
    /// <param name="proof">PROOF(older size, newer size); empty when the sizes are equal.</param>
    /// <param name="verifierKey">The pinned verifier key.</param>
    public static ConsistencyVerification VerifyConsistency(string olderNote, string newerNote, IReadOnlyList<byte[]> proof, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var older = OpenCheckpoint(olderNote, verifierKey);
        var newer = OpenCheckpoint(newerNote, verifierKey);
        var failures = older.Failures.Select(f => f with { Message = $"the older checkpoint: {f.Message}" })
            .Concat(newer.Failures.Select(f => f with { Message = $"the newer checkpoint: {f.Message}" }))
            .ToList();
        if (!older.Verified || !newer.Verified)
        {
            return new(older.Checkpoint, newer.Checkpoint, failures);
        }

        var (before, after) = (older.Checkpoint, newer.Checkpoint);
        if (after.Size < before.Size)
        {
            failures.Add(new(LogCheck.Shrank, $"the log shrank from size {Describe(before)} to size {Describe(after)}"));
        }
        else if (!MerkleProofs.VerifyConsistency(before.Size, after.Size, before.Root, after.Root, proof))
        {
            failures.Add(new(LogCheck.Consistency, before.Size == after.Size
                ? $"size {Number(before.Size)} has two different roots, {Hash(before.Root)} and {Hash(after.Root)}"
                : $"the tree of size {Describe(after)} does not extend the tree of size {Describe(before)}: the consistency proof fails"));
        }

        return new(before, after, failures);
    }

    /// <summary>
    /// <see cref="VerifyConsistency(string, string, IReadOnlyList{byte[]}, string)"/> with a CONSISTENCY_PROOF
    /// answer, which must be for the two checkpoints' sizes and state the newer root.
    /// </summary>
    public static ConsistencyVerification VerifyConsistency(string olderNote, string newerNote, ConsistencyProofResult proof, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var verification = VerifyConsistency(olderNote, newerNote, proof.Consistency, verifierKey);
        if (verification.Older is not { } before || verification.Newer is not { } after)
        {
            return verification;
        }

        var failures = verification.Failures.ToList();
        if (proof.From != before.Size || proof.To != after.Size)
        {
            failures.Add(new(LogCheck.TreeSize,
                $"the proof is for sizes {Number(proof.From)} to {Number(proof.To)}, not {Number(before.Size)} to {Number(after.Size)}"));
        }

        if (!proof.Root.AsSpan().SequenceEqual(after.Root))
        {
            failures.Add(new(LogCheck.Root, $"the proof's root {Hash(proof.Root)} differs from the newer checkpoint's root {Hash(after.Root)}"));
        }

        return verification with { Failures = failures };
    }

    /// <summary>The key's name when <paramref name="verifierKey"/> is a well-formed Ed25519 verifier key whose key hash matches.</summary>
    private static string? KeyName(string verifierKey)
    {
        var parts = verifierKey.Split('+', 3); // the base64 key may itself contain '+'
        if (parts.Length != 3 || parts[0].Length == 0 || parts[0].Any(char.IsWhiteSpace))
        {
            return null;
        }

        var encoded = new byte[33];
        if (!Convert.TryFromBase64String(parts[2], encoded, out var written) || written != 33 || encoded[0] != 0x01)
        {
            return null;
        }

        var keyHash = SHA256.HashData([.. Encoding.UTF8.GetBytes(parts[0]), (byte)'\n', .. encoded])[..4];
        return parts[1] == Convert.ToHexStringLower(keyHash) ? parts[0] : null;
    }

    private static string Describe(Checkpoint checkpoint) => $"{Number(checkpoint.Size)} (root {Hash(checkpoint.Root)})";

    private static string Hash(byte[] hash) => Convert.ToBase64String(hash);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
