using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to CHECKPOINT: the log's latest signed tree head.</summary>
/// <param name="Checkpoint">The signed note; only its signed body is evidence, see <see cref="Transparency.LogVerifier"/>.</param>
/// <param name="Origin">The log's origin, as the server states it beside the note.</param>
/// <param name="TreeSize">The tree size, as the server states it beside the note.</param>
/// <param name="Root">The root hash, as the server states it beside the note.</param>
public sealed record CheckpointResult(string Checkpoint, string Origin, long TreeSize, byte[] Root)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>The answer to INCLUSION_PROOF: RFC 9162 PATH for one leaf.</summary>
/// <param name="Index">The leaf's index.</param>
/// <param name="TreeSize">The size of the tree the proof is for.</param>
/// <param name="LeafHash">The leaf's hash, SHA-256(0x00 || leaf).</param>
/// <param name="Inclusion">The audit path, leaf side first.</param>
/// <param name="Root">The root of the tree of <paramref name="TreeSize"/>.</param>
/// <param name="Checkpoint">The latest signed checkpoint, when the request omitted the tree size.</param>
public sealed record InclusionProofResult(
    long Index, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Inclusion, byte[] Root, string? Checkpoint)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>The answer to CONSISTENCY_PROOF: RFC 9162 PROOF that one tree is a prefix of another.</summary>
/// <param name="From">The older tree size.</param>
/// <param name="To">The newer tree size.</param>
/// <param name="Consistency">The proof's hashes.</param>
/// <param name="Root">The root of the tree of <paramref name="To"/>.</param>
/// <param name="Checkpoint">The latest signed checkpoint, when the request omitted <c>to</c>.</param>
public sealed record ConsistencyProofResult(long From, long To, IReadOnlyList<byte[]> Consistency, byte[] Root, string? Checkpoint)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
