using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Client.Transparency;

// AUDIT answers, checked as the protocol's "AUDIT with proofs" prescribes.
public static partial class LogVerifier
{
    /// <summary>
    /// Verifies an AUDIT answer: the checkpoint opens under the pinned key and its size is <c>tree_size</c>; every
    /// entry's subject commitment opens to the entity asked about (its canonical key computed here, so the server
    /// cannot answer with another entity's history); a shown actor opens the actor commitment; each entry, rebuilt
    /// as its log leaf, is included in the checkpoint's tree; log indices strictly increase.
    /// </summary>
    /// <param name="audit">The answer.</param>
    /// <param name="entity">The entity string as it was sent in the request.</param>
    /// <param name="type">The type sent in the request, or <see langword="null"/> when it was omitted.</param>
    /// <param name="verifierKey">The pinned verifier key.</param>
    /// <remarks>
    /// This proves that every entry shown is in the log, not that no entry was left out: a log proves inclusion,
    /// not completeness.
    /// </remarks>
    public static AuditVerification VerifyAudit(AuditResult audit, string entity, string? type, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(entity);
        if (audit.Checkpoint is null || audit.TreeSize is not { } treeSize)
        {
            return new(null, [], [new(LogCheck.MissingProof, "the answer carries no checkpoint and tree_size: the server keeps no transparency log")]);
        }

        var opened = OpenCheckpoint(audit.Checkpoint, verifierKey);
        if (!opened.Verified)
        {
            return new(null, [], opened.Failures);
        }

        var checkpoint = opened.Checkpoint;
        var failures = new List<LogCheckFailure>();
        if (treeSize != checkpoint.Size)
        {
            failures.Add(new(LogCheck.TreeSize, $"tree_size {Number(treeSize)} differs from the signed checkpoint's size {Number(checkpoint.Size)}"));
        }

        var subject = Subject(audit, entity, type, failures);
        if (audit.Entries.Count == 0)
        {
            failures.Add(new(LogCheck.MissingProof, "the answer has no entries, yet AUDIT answers only for an entity with history"));
        }

        var included = new List<long>();
        var previous = -1L;
        foreach (var entry in audit.Entries)
        {
            var before = failures.Count;
            VerifyEntry(entry, previous, checkpoint, subject, failures);
            previous = Math.Max(previous, entry.LogIndex);
            if (failures.Count == before)
            {
                included.Add(entry.LogIndex);
            }
        }

        return new(checkpoint, included, failures);
    }

    /// <summary>The subject string every entry must commit to: the answer's type and the requested entity's key.</summary>
    private static string? Subject(AuditResult audit, string entity, string? type, List<LogCheckFailure> failures)
    {
        if (!EntityTypes.TryParse(audit.Type, out var answered))
        {
            failures.Add(new(LogCheck.Entity, $"the answer's type '{audit.Type}' is not an entity type"));
            return null;
        }

        if (type is not null && (!EntityTypes.TryParse(type, out var asked) || asked != answered))
        {
            failures.Add(new(LogCheck.Entity, $"the request asked about type '{type}', the answer is about '{answered.ToWire()}'"));
            return null;
        }

        if (!EntityCanonicalizer.TryCanonicalize(answered, entity, out var requested, out _))
        {
            failures.Add(new(LogCheck.Entity, $"'{entity}' is not a valid {answered.ToWire()}, yet the answer is about a {answered.ToWire()}"));
            return null;
        }

        if (!EntityCanonicalizer.TryCanonicalize(answered, audit.Entity, out var shown, out _) || shown.Key != requested.Key)
        {
            failures.Add(new(LogCheck.Entity, $"the answer names entity '{audit.Entity}', not '{requested.Value}'"));
        }

        return LogCommitment.SubjectOf(answered.ToWire(), requested.Key);
    }

    private static void VerifyEntry(AuditEntryInfo entry, long previous, Checkpoint checkpoint, string? subject, List<LogCheckFailure> failures)
    {
        var index = entry.LogIndex;
        if (entry.Leaf is not { } leaf || entry.Opening is not { } opening || entry.Inclusion is not { } inclusion || entry.TimeText is not { } time)
        {
            failures.Add(new(LogCheck.MissingProof, "the entry carries no leaf, opening and inclusion proof", index));
            return;
        }

        var inTree = true;
        if (index <= previous)
        {
            failures.Add(new(LogCheck.Order, $"log index {Number(index)} does not follow {Number(previous)}: entries must be in strictly increasing log order", index));
        }
        else if (index >= checkpoint.Size)
        {
            failures.Add(new(LogCheck.Order, $"log index {Number(index)} lies beyond the checkpoint's tree of size {Number(checkpoint.Size)}", index));
            inTree = false;
        }

        if (subject is not null && !LogCommitment.Opens(opening.Subject, subject, leaf.Subject))
        {
            failures.Add(new(LogCheck.Subject, $"the subject commitment does not open to '{subject.Replace('\n', ' ')}': the entry is not about the entity asked about", index));
        }

        if (entry.Actor is { } actor && (opening.Actor is not { } actorKey || !LogCommitment.Opens(actorKey, actor, leaf.Actor)))
        {
            failures.Add(new(LogCheck.Actor, opening.Actor is null
                ? $"the actor '{actor}' is shown without the key that opens its commitment"
                : $"the actor commitment does not open to '{actor}'", index));
        }

        byte[] leafHash;
        try
        {
            leafHash = new LogLeaf(index, entry.Action, time, leaf.Subject, leaf.Actor, leaf.Record).Hash();
        }
        catch (ArgumentException)
        {
            failures.Add(new(LogCheck.Leaf, $"the entry cannot be a log leaf: action '{entry.Action}', time '{time}'", index));
            return;
        }

        if (inTree && !MerkleProofs.VerifyInclusion(leafHash, index, checkpoint.Size, inclusion, checkpoint.Root))
        {
            failures.Add(new(LogCheck.Inclusion,
                $"the inclusion proof does not lead from the rebuilt leaf (index, action, time, commitments) to the root of the tree of size {Number(checkpoint.Size)}", index));
        }
    }
}
