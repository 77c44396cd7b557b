namespace RepSec.Core.Transparency;

/// <summary>A complete, aligned subtree of the log: level 0 is a leaf, level l covers leaves [index * 2^l, (index + 1) * 2^l).</summary>
public readonly record struct NodeId(int Level, long Index);

/// <summary>
/// The stored log: its committed size and the hashes of its complete subtrees, which never change once written.
/// Entries are appended by the registry store's writes, in the same transaction as the change they record.
/// </summary>
public interface ITransparencyLogStore
{
    /// <summary>How many entries are committed (the tree size).</summary>
    ValueTask<long> GetTreeSizeAsync(CancellationToken cancellationToken = default);

    /// <summary>The hashes of the requested subtrees, all within the committed tree, in one read.</summary>
    ValueTask<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> nodes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the personal data (subject, actor, secret) of entries made before <paramref name="cutoff"/>, except those
    /// that prove live state (<see cref="LogAudit"/>): the entry that registered a still-registered entity, the entries
    /// about a principal that still exists (its role, tokens, certificates, password, contact and trust), and the
    /// additions of a still-allowlisted entity. Commitments and leaves stay. Returns how many were purged.
    /// </summary>
    ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
