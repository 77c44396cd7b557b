using System.Text.Json;

namespace RepSec.Client.Reputation;

/// <summary>The answer to CHANGES: one page of the reputation change feed.</summary>
/// <param name="Changes">The entities whose reputation changed after the cursor asked with, oldest change first.</param>
/// <param name="Cursor">The cursor to ask with next; the same one when nothing changed.</param>
/// <param name="More">Whether more changes are waiting beyond this page.</param>
public sealed record ChangesResult(IReadOnlyList<ChangeEntry> Changes, string Cursor, bool More)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}

/// <summary>An entity whose reputation changed, with its reputation as it was when the page was read.</summary>
/// <param name="Entity">The entity in canonical form.</param>
/// <param name="Type">The entity type in canonical form.</param>
/// <param name="Allowlisted">Whether the operator allowlisted the entity.</param>
/// <param name="Allowlist">The allowlist entry when <paramref name="Allowlisted"/>, else <see langword="null"/>.</param>
/// <param name="Reputons">One reputon per assertion that counts; empty when nothing does any more.</param>
/// <param name="ChangedAt">When its reputation last changed.</param>
public sealed record ChangeEntry(
    string Entity, string Type, bool Allowlisted, AllowlistEntry? Allowlist, IReadOnlyList<Reputon> Reputons, DateTimeOffset ChangedAt)
{
    /// <summary>
    /// The cursor that resumes the feed right after this entry. The server gives out one cursor per page, so only
    /// the last entry of a page carries it; it is <see langword="null"/> on the others.
    /// </summary>
    public string? ResumeCursor { get; init; }

    /// <summary>The change object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
