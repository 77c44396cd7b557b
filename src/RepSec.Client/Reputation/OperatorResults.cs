using System.Text.Json;

namespace RepSec.Client.Reputation;

/// <summary>The answer to ALLOWLIST.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Allowlisted">Whether the entity is on the allowlist now.</param>
/// <param name="LogIndex">The audit log entry recording the change.</param>
public sealed record AllowlistResult(string Entity, string Type, bool Allowlisted, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>The answer to TRUST when it sets a reporter's trust.</summary>
/// <param name="Principal">The reporter.</param>
/// <param name="Trust">The trust now set, from 0 to 1.</param>
/// <param name="LogIndex">The audit log entry recording the change.</param>
public sealed record TrustResult(string Principal, double Trust, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>The answer to TRUST when it lists the levels.</summary>
/// <param name="DefaultTrust">The trust of a reporter whose level nobody set.</param>
/// <param name="Levels">The levels set, by principal.</param>
public sealed record TrustLevels(double DefaultTrust, IReadOnlyDictionary<string, double> Levels)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
