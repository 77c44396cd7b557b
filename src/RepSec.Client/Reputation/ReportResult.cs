using System.Text.Json;

namespace RepSec.Client.Reputation;

/// <summary>The answer to REPORT.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Assertion">The assertion reported.</param>
/// <param name="ReportId">The report's id, to withdraw it with.</param>
/// <param name="ReportedAt">When the server recorded it.</param>
/// <param name="Expires">When it stops counting.</param>
/// <param name="Superseded">The id of the reporter's earlier report of this entity and assertion that it replaces, if any.</param>
/// <param name="LogIndex">The audit log entry recording the report.</param>
public sealed record ReportResult(
    string Entity, string Type, string Assertion, long ReportId, DateTimeOffset ReportedAt, DateTimeOffset Expires, long? Superseded, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>The answer to WITHDRAW.</summary>
/// <param name="ReportId">The report withdrawn.</param>
/// <param name="WithdrawnAt">When the server withdrew it.</param>
/// <param name="LogIndex">The audit log entry recording the withdrawal.</param>
public sealed record WithdrawResult(long ReportId, DateTimeOffset WithdrawnAt, long LogIndex)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
