namespace RepSec.Client;

/// <summary>One entry of an entity's audit history.</summary>
/// <param name="LogIndex">The entry's position in the server's audit log.</param>
/// <param name="Action">What happened, such as <c>register</c> or <c>remove</c>.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">Who did it; <see langword="null"/> when policy withholds it from the caller.</param>
public sealed record AuditEntryInfo(long LogIndex, string Action, DateTimeOffset Time, string? Actor);
