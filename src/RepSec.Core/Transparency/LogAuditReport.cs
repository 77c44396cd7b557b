namespace RepSec.Core.Transparency;

/// <summary>What an offline check of the stored log found.</summary>
public sealed record LogAuditReport(long Entries, byte[] Root, long Records, IReadOnlyList<string> Problems)
{
    public bool Verified => Problems.Count == 0;

    /// <summary>Reports checked against the log entries that recorded them.</summary>
    public long Reports { get; init; }
}
