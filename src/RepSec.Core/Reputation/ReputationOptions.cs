namespace RepSec.Core.Reputation;

/// <summary>The reputation extension (docs/reputation.md), bound from <c>RepSec:Reputation</c>.</summary>
public sealed record ReputationOptions
{
    /// <summary>Whether the extension is offered at all (HELLO, RFC 7072, RDAP).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The RFC 7071 <c>rater</c> of every reputon this server generates, typically the operator's domain; by
    /// default the transparency log's origin, which nodes sharing one store have in common.
    /// </summary>
    public string? Rater { get; init; }

    /// <summary>A report's weight halves every this many days (age decay); 0 turns decay off.</summary>
    public double HalfLifeDays { get; init; } = 30;

    /// <summary>
    /// Total current weight at which a reputon's confidence reaches 0.5: confidence = W / (W + scale).
    /// </summary>
    public double ConfidenceScale { get; init; } = 1;

    /// <summary>Trust of a reporter the operator has not rated, in [0, 1].</summary>
    public double DefaultTrust { get; init; } = 1;

    /// <summary>One report per reporter, entity and assertion per this many seconds (429 otherwise).</summary>
    public int ReportIntervalSeconds { get; init; } = 3600;

    /// <summary>Lifetime of a report that names no <c>expires</c>.</summary>
    public int DefaultReportLifetimeDays { get; init; } = 90;

    /// <summary>The furthest <c>expires</c> a report may name.</summary>
    public int MaxReportLifetimeDays { get; init; } = 365;

    /// <summary>UTF-8 bytes of a report's <c>evidence</c> at most.</summary>
    public int MaxEvidenceBytes { get; init; } = 4096;

    /// <summary>Categories one report may carry, each a token of at most 64 characters.</summary>
    public int MaxCategories { get; init; } = 16;

    /// <summary>Days after which a report's evidence is purged (the report and its log leaf stay); 0 keeps it.</summary>
    public int EvidenceRetentionDays { get; init; } = 30;

    /// <summary>Seconds a reputon stays fresh: its <c>expires</c> is <c>generated</c> plus this.</summary>
    public int ReputonTtlSeconds { get; init; } = 3600;

    /// <summary>
    /// Whether anyone may see who reported what. Off by default: reporters are shown to auditors, admins and
    /// themselves only.
    /// </summary>
    public bool DiscloseReporters { get; init; }

    /// <summary>How often expired reports leave the aggregates and old evidence is purged.</summary>
    public int SweepIntervalSeconds { get; init; } = 60;

    /// <summary>
    /// How often the in-memory reputation table (<see cref="ReputationTable"/>) that the DNSBL, blocklists and
    /// decisions read catches up with the change feed: the longest a change takes to show there.
    /// </summary>
    public int TableRefreshMilliseconds { get; init; } = 1000;

    /// <summary>Assertions beyond the built-in ones, each <c>negative</c> (1 = bad) or <c>positive</c> (1 = good).</summary>
    public Dictionary<string, string> Assertions { get; init; } = [];

    public IEnumerable<string> Validate()
    {
        if (HalfLifeDays is < 0 or > 36_500 || ConfidenceScale is <= 0 or > 1e9 || DefaultTrust is < 0 or > 1)
        {
            yield return "RepSec:Reputation: HalfLifeDays must be 0-36500, ConfidenceScale positive, DefaultTrust 0-1";
        }

        if (ReportIntervalSeconds is < 0 or > 31_536_000 || DefaultReportLifetimeDays < 1 || MaxReportLifetimeDays < DefaultReportLifetimeDays
            || MaxReportLifetimeDays > 36_500)
        {
            yield return "RepSec:Reputation: ReportIntervalSeconds must be 0-31536000, and 1 <= DefaultReportLifetimeDays <= MaxReportLifetimeDays <= 36500";
        }

        if (MaxEvidenceBytes is < 0 or > 65_536 || MaxCategories is < 0 or > 256 || EvidenceRetentionDays is < 0 or > 36_500)
        {
            yield return "RepSec:Reputation: MaxEvidenceBytes must be 0-65536, MaxCategories 0-256, EvidenceRetentionDays 0-36500";
        }

        if (ReputonTtlSeconds is < 1 or > 31_536_000 || SweepIntervalSeconds is < 1 or > 86_400)
        {
            yield return "RepSec:Reputation: ReputonTtlSeconds must be 1-31536000 and SweepIntervalSeconds 1-86400";
        }

        if (TableRefreshMilliseconds is < 10 or > 3_600_000)
        {
            yield return "RepSec:Reputation:TableRefreshMilliseconds must be 10-3600000";
        }

        if (Rater is not null && (Rater.Length is 0 or > 255 || Rater.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return "RepSec:Reputation:Rater must be 1-255 characters without spaces";
        }

        foreach (var (name, polarity) in Assertions)
        {
            if (!ReputationAssertions.IsWellFormed(name) || polarity is not ("negative" or "positive"))
            {
                yield return $"RepSec:Reputation:Assertions:{name} must be a lowercase token (a-z, 0-9, '-', at most 64) set to negative or positive";
            }
        }
    }
}
