using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to REMOVE.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="RemovedAt">When the server removed it.</param>
/// <param name="LogIndex">The audit log entry recording the removal.</param>
public sealed record RemoveResult(string Entity, string Type, DateTimeOffset RemovedAt, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
