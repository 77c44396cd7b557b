using RepSec.Core.Dispatch;
using RepSec.Core.Transparency;
using RepSec.Protocol;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>CHECKPOINT (extension <c>transparency</c>): the latest signed checkpoint of the log.</summary>
public sealed class CheckpointCommand(TransparencyLog log) : RepSecCommand
{
    public override string Name => "CHECKPOINT";

    public override CommandPolicy Policy => CommandPolicies.LogProof;

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var checkpoint = await log.LatestCheckpointAsync(cancellationToken);
        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Checkpoint", context.Request.RawId);
        json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
        json.WriteString(ResponseNames.Origin, log.Key.Origin);
        json.WriteNumber(ResponseNames.TreeSize, checkpoint.Size);
        json.WriteBase64String(ResponseNames.Root, checkpoint.Root);
        return null;
    }

    /// <summary>Writes a proof: an array of base64 hashes.</summary>
    internal static void WriteHashes(System.Text.Json.Utf8JsonWriter json, System.Text.Json.JsonEncodedText name, IEnumerable<byte[]> hashes)
    {
        json.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            json.WriteBase64StringValue(hash);
        }

        json.WriteEndArray();
    }
}
