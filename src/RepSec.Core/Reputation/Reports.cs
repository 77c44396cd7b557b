using System.Collections.ObjectModel;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Reputation;

/// <summary>The log's reputation action names (docs/reputation.md, "Audit").</summary>
public static class ReputationActions
{
    public const string Report = "report";
    public const string Withdraw = "report_withdraw";
    public const string AllowlistAdd = "allowlist_add";
    public const string AllowlistRemove = "allowlist_remove";
    public const string TrustSet = "trust_set";
}

/// <summary>
/// A report to store. The store looks up the reporter's trust inside the write transaction, supersedes the
/// reporter's earlier report of the same entity and assertion, and refuses the report when that earlier one is
/// younger than <paramref name="Interval"/> (zero: never refused, even when another node's report of the same
/// reporter carries a slightly later time).
/// </summary>
public sealed record ReportDraft(
    EntityType Type,
    string Key,
    string Value,
    string Reporter,
    string Assertion,
    double Rating,
    double Confidence,
    IReadOnlyList<string> Categories,
    string? Evidence,
    DateTimeOffset At,
    DateTimeOffset Expires,
    TimeSpan Interval,
    LogEntryDraft Log)
{
    public static ReportDraft Create(
        CanonicalEntity entity, string reporter, string assertion, double rating, double confidence, IReadOnlyList<string> categories,
        string? evidence, DateTimeOffset at, DateTimeOffset expires, TimeSpan interval) =>
        new(entity.Type, entity.Key, entity.Value, reporter, assertion, rating, confidence, categories, evidence, at, expires, interval,
            LogEntryDraft.Create(ReputationActions.Report, at, entity.Type.ToWire(), entity.Key, reporter,
                Digest(entity, assertion, rating, confidence, categories, EvidenceHash(evidence), at, expires)));

    /// <summary>The hash the digest and the stored report keep of the evidence: lowercase hex SHA-256, or "" for none.</summary>
    public string EvidenceSha256 => EvidenceHash(Evidence);

    public static string EvidenceHash(string? evidence) =>
        evidence is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(evidence)));

    /// <summary>
    /// What the log entry's record commitment covers: SHA-256 of the canonical JSON of the report, the evidence by
    /// its hash, which the store keeps beside it, so a report still recomputes once retention has purged the evidence.
    /// </summary>
    public static byte[] Digest(CanonicalEntity entity, string assertion, double rating, double confidence, IReadOnlyList<string> categories,
        string evidenceSha256, DateTimeOffset at, DateTimeOffset expires) =>
        Digest(entity, assertion, rating, confidence, categories, evidenceSha256, at, expires, withValue: true);

    /// <summary>What earlier versions committed to: the same without the entity's value (the form it was reported in).</summary>
    public static byte[] LegacyDigest(CanonicalEntity entity, string assertion, double rating, double confidence, IReadOnlyList<string> categories,
        string evidenceSha256, DateTimeOffset at, DateTimeOffset expires) =>
        Digest(entity, assertion, rating, confidence, categories, evidenceSha256, at, expires, withValue: false);

    private static byte[] Digest(CanonicalEntity entity, string assertion, double rating, double confidence, IReadOnlyList<string> categories,
        string evidenceSha256, DateTimeOffset at, DateTimeOffset expires, bool withValue)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("assertion", assertion);
            json.WriteStartArray("categories");
            foreach (var category in categories)
            {
                json.WriteStringValue(category);
            }

            json.WriteEndArray();
            json.WriteNumber("confidence", confidence);
            json.WriteString("entity", entity.Key);
            json.WriteString("evidence_sha256", evidenceSha256);
            json.WriteString("expires", LogEntryDraft.FormatTime(expires));
            json.WriteNumber("rating", rating);
            json.WriteString("reported_at", LogEntryDraft.FormatTime(at));
            json.WriteString("type", entity.Type.ToWire());
            if (withValue)
            {
                json.WriteString("value", entity.Value);
            }

            json.WriteEndObject();
        }

        return SHA256.HashData(buffer.ToArray());
    }
}

public enum ReportStatus
{
    Done,
    /// <summary>The reporter's previous report of this entity and assertion is younger than the interval.</summary>
    TooSoon,
    NotFound,
    NotReporter,
    AlreadyWithdrawn,
}

/// <summary>
/// A write's outcome: the log index of its entry (a report's id), what it superseded, and for
/// <see cref="ReportStatus.TooSoon"/> when the next report will be accepted.
/// </summary>
public readonly record struct ReportOutcome(ReportStatus Status, long LogIndex, long? Superseded = null, DateTimeOffset? RetryAt = null);

/// <summary>A withdrawal of report <paramref name="ReportId"/>; <paramref name="RequiredReporter"/> null means an admin acting.</summary>
public sealed record Withdrawal(long ReportId, string Actor, string? RequiredReporter, DateTimeOffset At)
{
    /// <summary>The log entry, once the store knows which entity the report was about.</summary>
    public LogEntryDraft LogFor(EntityType type, string key) =>
        LogEntryDraft.Create(ReputationActions.Withdraw, At, type.ToWire(), key, Actor, Digest(ReportId));

    public static byte[] Digest(long reportId) => SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"withdraw {reportId}")));
}

/// <summary>Adds (with a reason) or removes (<paramref name="Reason"/> null) an entity's allowlist entry.</summary>
public sealed record AllowlistChange(EntityType Type, string Key, string Value, string? Reason, string Actor, DateTimeOffset At, LogEntryDraft Log)
{
    public static AllowlistChange Add(CanonicalEntity entity, string reason, string actor, DateTimeOffset at) =>
        new(entity.Type, entity.Key, entity.Value, reason, actor, at, LogEntryDraft.Create(ReputationActions.AllowlistAdd, at,
            entity.Type.ToWire(), entity.Key, actor, Digest(entity.Type.ToWire(), entity.Key, entity.Value, reason)));

    /// <summary>What an addition's record commitment covers: SHA-256 of the JSON array [type, key, value, reason].</summary>
    public static byte[] Digest(string type, string key, string value, string reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(type);
            json.WriteStringValue(key);
            json.WriteStringValue(value);
            json.WriteStringValue(reason);
            json.WriteEndArray();
        }

        return SHA256.HashData(buffer.ToArray());
    }

    /// <summary>What earlier versions' additions committed to: the reason alone.</summary>
    public static byte[] LegacyDigest(string reason) => SHA256.HashData(Encoding.UTF8.GetBytes(reason));

    public static AllowlistChange Remove(CanonicalEntity entity, string actor, DateTimeOffset at) =>
        new(entity.Type, entity.Key, entity.Value, null, actor, at, LogEntryDraft.Create(ReputationActions.AllowlistRemove, at,
            entity.Type.ToWire(), entity.Key, actor, recordDigest: null));
}

/// <summary>Sets a reporter's trust; every report of theirs still counted is reweighted in the same transaction.</summary>
public sealed record TrustChange(string Principal, double Trust, string Actor, DateTimeOffset At, LogEntryDraft Log)
{
    public static TrustChange Create(string principal, double trust, string actor, DateTimeOffset at) =>
        new(principal, trust, actor, at, LogEntryDraft.Create(ReputationActions.TrustSet, at, LogEntryDraft.PrincipalSubject, principal, actor, Digest(trust)));

    public static byte[] Digest(double trust) => SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"trust {trust:R}")));
}

/// <summary>A stored report, as REPUTATION lists it to those allowed to see it; <c>EndedAt</c> is when it stopped counting (withdrawn, superseded or expired).</summary>
public sealed record StoredReport(
    long Id,
    EntityType Type,
    string Key,
    string Value,
    string Reporter,
    string Assertion,
    double Rating,
    double Confidence,
    double Weight,
    IReadOnlyList<string> Categories,
    string? Evidence,
    DateTimeOffset At,
    DateTimeOffset Expires,
    DateTimeOffset? EndedAt);

/// <summary>An entity's allowlist entry.</summary>
public sealed record AllowlistEntry(string Reason, string AddedBy, DateTimeOffset Since);

/// <summary>What the store keeps about an entity's reputation: one aggregate per assertion, and its allowlist entry.</summary>
public sealed record EntityReputation(
    EntityType Type,
    string Key,
    string Value,
    IReadOnlyDictionary<string, ReputationAggregate> Assertions,
    AllowlistEntry? Allowlisted)
{
    public static EntityReputation None(CanonicalEntity entity) =>
        new(entity.Type, entity.Key, entity.Value, ReadOnlyDictionary<string, ReputationAggregate>.Empty, null);
}

/// <summary>An entity whose reputation changed, at position <paramref name="Sequence"/> of the change feed.</summary>
public sealed record ReputationChange(long Sequence, DateTimeOffset ChangedAt, EntityReputation Reputation);

/// <summary>What the periodic sweep did.</summary>
public readonly record struct SweepResult(int Expired, int EvidencePurged);
