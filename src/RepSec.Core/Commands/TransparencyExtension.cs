using System.Text.Json;
using RepSec.Core.Transparency;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>The <c>transparency</c> extension: checkpoints and proofs over the log; HELLO names its origin and key.</summary>
public sealed class TransparencyExtension(TransparencyLog log) : IRepSecExtension
{
    public string Name => "transparency";

    public string Version => "1";

    public IReadOnlyList<RepSecCommand> Commands { get; } =
        [new CheckpointCommand(log), new InclusionProofCommand(log), new ConsistencyProofCommand(log)];

    public void WriteProperties(Utf8JsonWriter json)
    {
        json.WriteString(ResponseNames.Origin, log.Key.Origin);
        json.WriteString(ResponseNames.LogKey, log.Key.VerifierKey);
    }
}
