namespace RepSec.Client;

/// <summary>One entry of an entity's audit history.</summary>
/// <param name="LogIndex">The entry's position in the server's audit log.</param>
/// <param name="Action">What happened, such as <c>register</c> or <c>remove</c>.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">Who did it; <see langword="null"/> when policy withholds it from the caller.</param>
public sealed record AuditEntryInfo(long LogIndex, string Action, DateTimeOffset Time, string? Actor)
{
    /// <summary>
    /// <see cref="Time"/> exactly as the server wrote it. The log leaf commits to this text, so verification uses
    /// it rather than a reformatted time.
    /// </summary>
    public string? TimeText { get; init; }

    /// <summary>The commitments in the entry's log leaf; <see langword="null"/> from a server without a transparency log.</summary>
    public AuditLeaf? Leaf { get; init; }

    /// <summary>The keys that open the commitments the caller may see; <see langword="null"/> without a transparency log.</summary>
    public AuditOpening? Opening { get; init; }

    /// <summary>
    /// The entry's inclusion proof (RFC 9162 PATH) in the tree of <see cref="AuditResult.Checkpoint"/>;
    /// <see langword="null"/> without a transparency log.
    /// </summary>
    public IReadOnlyList<byte[]>? Inclusion { get; init; }
}
