namespace RepSec.Client.Transparency;

/// <summary>The checks <see cref="LogVerifier"/> runs; a failure names the one that did not hold.</summary>
public enum LogCheck
{
    /// <summary>The answer lacks proof material: a server without a transparency log, or members left out.</summary>
    MissingProof,

    /// <summary>The checkpoint is not signed by the pinned key, or the signed note is not a checkpoint.</summary>
    Signature,

    /// <summary>The checkpoint's origin is not the name of the pinned key.</summary>
    Origin,

    /// <summary>A tree size stated beside the checkpoint differs from the signed one, or a proof is for other sizes.</summary>
    TreeSize,

    /// <summary>A root stated beside the checkpoint differs from the signed one.</summary>
    Root,

    /// <summary>The answer is about another entity or type than the one asked about.</summary>
    Entity,

    /// <summary>Entries are not in strictly increasing log order, or lie beyond the checkpoint's tree.</summary>
    Order,

    /// <summary>The subject opening does not open the leaf's subject commitment to the entity asked about.</summary>
    Subject,

    /// <summary>The actor shown does not open the leaf's actor commitment.</summary>
    Actor,

    /// <summary>The entry cannot be rebuilt as a log leaf (a malformed action or time).</summary>
    Leaf,

    /// <summary>The inclusion proof does not lead from the rebuilt leaf to the checkpoint's root.</summary>
    Inclusion,

    /// <summary>The newer checkpoint is smaller than the older one: the log shrank.</summary>
    Shrank,

    /// <summary>The newer tree does not extend the older one: the log rewrote its past (a fork).</summary>
    Consistency,
}

/// <summary>One check that did not hold.</summary>
/// <param name="Check">Which check.</param>
/// <param name="Message">What was wrong, for people.</param>
/// <param name="LogIndex">The audit entry it concerns, if any.</param>
public sealed record LogCheckFailure(LogCheck Check, string Message, long? LogIndex = null)
{
    /// <summary>The message, prefixed with the entry it concerns.</summary>
    public override string ToString() => LogIndex is { } index ? $"entry #{index}: {Message}" : Message;
}
