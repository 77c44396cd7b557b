using RepSec.Client.Wire;

namespace RepSec.Client;

// The transparency extension's commands. Proofs and checkpoints reveal only hashes, so none sends a token.
public sealed partial class RepSecClient
{
    /// <summary>CHECKPOINT: the log's latest signed checkpoint. Anonymous.</summary>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<CheckpointResult> CheckpointAsync(CancellationToken cancellationToken = default) =>
        ResultReader.Checkpoint(await ExchangeAsync(Request("CHECKPOINT"), cancellationToken));

    /// <summary>INCLUSION_PROOF: the audit path of one leaf. Anonymous.</summary>
    /// <param name="index">The leaf's log index.</param>
    /// <param name="treeSize">The tree to prove inclusion in; omitted, the latest checkpoint's, which the answer then carries.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<InclusionProofResult> InclusionProofAsync(long index, long? treeSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var request = Request("INCLUSION_PROOF");
        request["index"] = index;
        if (treeSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(treeSize));
            request["tree_size"] = size;
        }

        return ResultReader.InclusionProof(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>CONSISTENCY_PROOF: that the tree of <paramref name="from"/> is a prefix of a later one. Anonymous.</summary>
    /// <param name="from">The older tree size.</param>
    /// <param name="to">The newer tree size; omitted, the latest checkpoint's, which the answer then carries.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<ConsistencyProofResult> ConsistencyProofAsync(long from, long? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        var request = Request("CONSISTENCY_PROOF");
        request["from"] = from;
        if (to is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, from, nameof(to));
            request["to"] = size;
        }

        return ResultReader.ConsistencyProof(await ExchangeAsync(request, cancellationToken));
    }
}
