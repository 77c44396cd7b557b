using RepSec.Core.Dispatch;
using RepSec.Core.Transparency;
using RepSec.Protocol;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// CONSISTENCY_PROOF (extension <c>transparency</c>): RFC 9162 PROOF that the tree of <c>from</c> entries is a prefix
/// of the tree of <c>to</c> (by default the latest checkpoint's size, which the answer then carries).
/// </summary>
public sealed class ConsistencyProofCommand(TransparencyLog log) : RepSecCommand<(long From, long? To)>
{
    public override string Name => "CONSISTENCY_PROOF";

    public override CommandPolicy Policy => CommandPolicies.LogProof;

    protected override ProtocolError? Bind(CommandContext context, out (long From, long? To) arguments)
    {
        arguments = default;
        var from = LogArguments.Read(context, "from", required: true, out var error);
        if (error is null)
        {
            arguments = (from!.Value, LogArguments.Read(context, "to", required: false, out error));
        }

        return error;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, (long From, long? To) arguments, CancellationToken cancellationToken)
    {
        var from = arguments.From;
        var (to, checkpoint, error) = await LogArguments.ResolveSizeAsync(log, arguments.To, "to", cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (from > to)
        {
            return LogArguments.Beyond("from must not exceed to");
        }

        var proof = await log.ConsistencyProofAsync(from, to, cancellationToken);
        var root = checkpoint?.Root ?? await log.RootAsync(to, cancellationToken);

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Consistency proof", context.Request.RawId);
        json.WriteNumber(ResponseNames.From, from);
        json.WriteNumber(ResponseNames.To, to);
        CheckpointCommand.WriteHashes(json, ResponseNames.Consistency, proof);
        json.WriteBase64String(ResponseNames.Root, root);
        if (checkpoint is not null)
        {
            json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
        }

        return null;
    }
}
