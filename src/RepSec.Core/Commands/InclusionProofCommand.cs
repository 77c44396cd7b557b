using RepSec.Core.Dispatch;
using RepSec.Core.Transparency;
using RepSec.Protocol;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// INCLUSION_PROOF (extension <c>transparency</c>): RFC 9162 PATH for entry <c>index</c> in the tree of
/// <c>tree_size</c> (by default the latest checkpoint's, which the answer then carries).
/// </summary>
public sealed class InclusionProofCommand(TransparencyLog log) : RepSecCommand<(long Index, long? TreeSize)>
{
    public override string Name => "INCLUSION_PROOF";

    public override CommandPolicy Policy => CommandPolicies.LogProof;

    protected override ProtocolError? Bind(CommandContext context, out (long Index, long? TreeSize) arguments)
    {
        arguments = default;
        var index = LogArguments.Read(context, "index", required: true, out var error);
        if (error is null)
        {
            arguments = (index!.Value, LogArguments.Read(context, "tree_size", required: false, out error));
        }

        return error;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, (long Index, long? TreeSize) arguments, CancellationToken cancellationToken)
    {
        var index = arguments.Index;
        var (size, checkpoint, error) = await LogArguments.ResolveSizeAsync(log, arguments.TreeSize, "tree_size", cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (index >= size)
        {
            return LogArguments.Beyond("index must be below tree_size");
        }

        var proof = (await log.InclusionProofsAsync([index], size, cancellationToken))[0];
        var leaf = await log.LeafHashAsync(index, cancellationToken);
        var root = checkpoint?.Root ?? await log.RootAsync(size, cancellationToken);

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Inclusion proof", context.Request.RawId);
        json.WriteNumber(ResponseNames.Index, index);
        json.WriteNumber(ResponseNames.TreeSize, size);
        json.WriteBase64String(ResponseNames.LeafHash, leaf);
        CheckpointCommand.WriteHashes(json, ResponseNames.Inclusion, proof);
        json.WriteBase64String(ResponseNames.Root, root);
        if (checkpoint is not null)
        {
            json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
        }

        return null;
    }
}
