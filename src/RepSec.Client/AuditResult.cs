using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to AUDIT: an entity's history.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Entries">The history, oldest first.</param>
public sealed record AuditResult(string Entity, string Type, IReadOnlyList<AuditEntryInfo> Entries)
{
    /// <summary>The size of the tree the entries' inclusion proofs are for; <see langword="null"/> without a transparency log.</summary>
    public long? TreeSize { get; init; }

    /// <summary>The log's latest signed checkpoint (a C2SP signed note); <see langword="null"/> without a transparency log.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
