using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to AUDIT: an entity's history.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Entries">The history, oldest first.</param>
public sealed record AuditResult(string Entity, string Type, IReadOnlyList<AuditEntryInfo> Entries)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
