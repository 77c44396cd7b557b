using System.Text.Json;

namespace RepSec.Client.Reputation;

/// <summary>The answer to REPUTATION: what the server concludes about an entity.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Allowlisted">Whether the operator allowlisted the entity; its reputons then say so.</param>
/// <param name="Allowlist">The allowlist entry when <paramref name="Allowlisted"/>, else <see langword="null"/>.</param>
/// <param name="Reputons">One reputon per assertion reported; empty when nothing counts.</param>
/// <param name="Reports">
/// The reports that count, newest first, when they were asked for; <see langword="null"/> otherwise.
/// </param>
public sealed record ReputationResult(
    string Entity, string Type, bool Allowlisted, AllowlistEntry? Allowlist, IReadOnlyList<Reputon> Reputons, IReadOnlyList<ReportInfo>? Reports)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }

    /// <summary>
    /// For an IP address or prefix: the reputation of each prefix with reputation that covers it, most specific
    /// first (the address is judged with them: docs/consumers.md, "Ranges"); empty for other entities.
    /// </summary>
    public IReadOnlyList<ReputationResult> Covering { get; init; } = [];
}

/// <summary>
/// An RFC 7071 reputon: what <paramref name="Rater"/> concludes about <paramref name="Rated"/> for one assertion.
/// The members RFC 7071 makes optional are <see langword="null"/> when absent.
/// </summary>
/// <param name="Rater">Who generated the reputon: the server's configured name.</param>
/// <param name="Assertion">The assertion, such as <c>spam</c>.</param>
/// <param name="Rated">The entity.</param>
/// <param name="Rating">The weighted rating, from 0 to 1.</param>
/// <param name="Confidence">How much the rating is backed, from 0 to 1: it grows with the reports' total weight.</param>
/// <param name="NormalRating">The rating of this assertion over every entity, to compare with.</param>
/// <param name="SampleSize">How many reports count.</param>
/// <param name="Generated">When the reputon was computed.</param>
/// <param name="Expires">Until when it may be cached.</param>
/// <param name="Allowlisted">The <c>repsec-allowlisted</c> member: the operator's allowlist, not the reports, set the rating.</param>
public sealed record Reputon(
    string Rater,
    string Assertion,
    string Rated,
    double Rating,
    double? Confidence,
    double? NormalRating,
    long? SampleSize,
    DateTimeOffset? Generated,
    DateTimeOffset? Expires,
    bool Allowlisted)
{
    /// <summary>The reputon object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>An entity's allowlist entry.</summary>
/// <param name="Reason">Why the operator allowlisted it.</param>
/// <param name="Since">When.</param>
/// <param name="AddedBy">The admin who did; shown to auditors and admins only, <see langword="null"/> for others.</param>
public sealed record AllowlistEntry(string Reason, DateTimeOffset Since, string? AddedBy);

/// <summary>One counted report, as REPUTATION lists it.</summary>
/// <param name="ReportId">The report's id.</param>
/// <param name="Assertion">The assertion reported.</param>
/// <param name="Rating">The rating reported.</param>
/// <param name="Confidence">The reporter's confidence.</param>
/// <param name="Weight">The report's weight in the rating: the reporter's trust times the confidence, decayed with age.</param>
/// <param name="Categories">The report's categories.</param>
/// <param name="ReportedAt">When it was made.</param>
/// <param name="Expires">When it stops counting.</param>
/// <param name="Reporter">Who made it; <see langword="null"/> unless policy shows it to the caller.</param>
/// <param name="Evidence">Its evidence; <see langword="null"/> when there is none or policy withholds it.</param>
public sealed record ReportInfo(
    long ReportId,
    string Assertion,
    double Rating,
    double Confidence,
    double Weight,
    IReadOnlyList<string> Categories,
    DateTimeOffset ReportedAt,
    DateTimeOffset Expires,
    string? Reporter,
    string? Evidence);
