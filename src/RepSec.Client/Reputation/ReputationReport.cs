namespace RepSec.Client.Reputation;

/// <summary>A report to send with <see cref="RepSecClient.ReportAsync"/>: what the reporter asserts about an entity.</summary>
/// <param name="Entity">The entity, registered or not, such as <c>example.com</c>; the server canonicalizes it.</param>
/// <param name="Assertion">What is asserted, one of those HELLO lists for the <c>reputation</c> extension, such as <c>spam</c>.</param>
/// <param name="Rating">How strongly it holds, from 0 to 1 (for a negative assertion, 1: the entity certainly does it).</param>
public sealed record ReputationReport(string Entity, string Assertion, double Rating)
{
    /// <summary>The entity type; may be omitted when the entity string is unambiguous.</summary>
    public string? Type { get; init; }

    /// <summary>How sure the reporter is, from 0 to 1; the server takes 1 when it is omitted.</summary>
    public double? Confidence { get; init; }

    /// <summary>Lowercase tokens that classify the report, such as <c>botnet</c>; each at most once.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Free text backing the report; only the reporter, auditors and admins see it, until retention purges it.</summary>
    public string? Evidence { get; init; }

    /// <summary>When the report stops counting; the server's default lifetime when omitted.</summary>
    public DateTimeOffset? Expires { get; init; }
}
