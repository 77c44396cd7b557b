using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to REGISTER.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="RegisteredAt">When the server registered it.</param>
/// <param name="LogIndex">The audit log entry recording the registration.</param>
public sealed record RegisterResult(string Entity, string Type, DateTimeOffset RegisteredAt, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
