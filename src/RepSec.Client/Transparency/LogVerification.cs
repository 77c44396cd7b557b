using System.Diagnostics.CodeAnalysis;
using RepSec.Protocol.Transparency;

namespace RepSec.Client.Transparency;

/// <summary>The outcome of opening a checkpoint with the pinned key.</summary>
/// <param name="Checkpoint">The signed checkpoint; <see langword="null"/> when its signature or body failed.</param>
/// <param name="Failures">Every check that did not hold; empty when verified.</param>
public sealed record CheckpointVerification(Checkpoint? Checkpoint, IReadOnlyList<LogCheckFailure> Failures)
{
    /// <summary>Whether every check held.</summary>
    [MemberNotNullWhen(true, nameof(Checkpoint))]
    public bool Verified => Failures.Count == 0 && Checkpoint is not null;
}

/// <summary>The outcome of verifying an AUDIT answer.</summary>
/// <param name="Checkpoint">The signed checkpoint the entries were checked against; <see langword="null"/> when it failed.</param>
/// <param name="Included">The log indices of the entries that passed every check, in answer order.</param>
/// <param name="Failures">Every check that did not hold; empty when verified.</param>
public sealed record AuditVerification(Checkpoint? Checkpoint, IReadOnlyList<long> Included, IReadOnlyList<LogCheckFailure> Failures)
{
    /// <summary>Whether every check held for the checkpoint and every entry.</summary>
    [MemberNotNullWhen(true, nameof(Checkpoint))]
    public bool Verified => Failures.Count == 0 && Checkpoint is not null;
}

/// <summary>The outcome of checking that a newer checkpoint extends an older one.</summary>
/// <param name="Older">The older signed checkpoint; <see langword="null"/> when it failed to open.</param>
/// <param name="Newer">The newer signed checkpoint; <see langword="null"/> when it failed to open.</param>
/// <param name="Failures">Every check that did not hold; empty when the newer tree extends the older.</param>
public sealed record ConsistencyVerification(Checkpoint? Older, Checkpoint? Newer, IReadOnlyList<LogCheckFailure> Failures)
{
    /// <summary>Whether both checkpoints opened and the newer tree extends the older.</summary>
    [MemberNotNullWhen(true, nameof(Older), nameof(Newer))]
    public bool Verified => Failures.Count == 0 && Older is not null && Newer is not null;

    /// <summary>Whether both checkpoints are genuine but the log shrank or rewrote its past.</summary>
    public bool Forked => Failures.Any(f => f.Check is LogCheck.Shrank or LogCheck.Consistency);
}
