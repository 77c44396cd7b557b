using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to VERIFY.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Verified">Whether the entity's stored record is authentic (and any required proof succeeded).</param>
/// <param name="LastUpdated">When the entity's record last changed.</param>
public sealed record VerifyResult(string Entity, string Type, bool Verified, DateTimeOffset LastUpdated)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
