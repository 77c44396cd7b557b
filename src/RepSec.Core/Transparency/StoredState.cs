namespace RepSec.Core.Transparency;

/// <summary>A stored log entry as the audit reads it: what the leaf holds, and its openings unless retention purged them.</summary>
public sealed record StoredEntry(
    long Index,
    string Action,
    DateTimeOffset At,
    EntryCommitments Commitments,
    byte[] Leaf,
    string? SubjectType,
    string? SubjectKey,
    string? Actor,
    byte[]? Secret)
{
    /// <summary>Whether the entry still holds its subject, actor and secret.</summary>
    public bool Open => Secret is not null && SubjectType is not null && SubjectKey is not null && Actor is not null;
}

/// <summary>A registered entity's row, with the entry its log index names (null when there is none).</summary>
public sealed record EntityRow(string Type, string Key, string Value, string Owner, string? Attributes, DateTimeOffset RegisteredAt, long LogIndex, StoredEntry? Entry);

/// <summary>A report's row, with the entry its id names (null when there is none).</summary>
public sealed record ReportRow(
    long Id,
    string Type,
    string Key,
    string Value,
    string Reporter,
    string Assertion,
    double Rating,
    double Confidence,
    double Weight,
    string Categories,
    string? Evidence,
    string EvidenceSha256,
    DateTimeOffset ReportedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? Ended,
    StoredEntry? Entry);

/// <summary>A maintained aggregate's row: per entity and assertion, or (Type and Key null) an assertion's norm.</summary>
public sealed record AggregateRow(string? Type, string? Key, string Assertion, long Count, double Weight, double Rated, DateTimeOffset At);

/// <summary>An entity's place in the CHANGES feed.</summary>
public sealed record FeedRow(string Type, string Key, string Value, long Sequence, DateTimeOffset ChangedAt);

public sealed record AllowlistRow(string Type, string Key, string Value, string Reason, string AddedBy, DateTimeOffset AddedAt);

public sealed record TrustRow(string Principal, double Trust, string SetBy, DateTimeOffset SetAt);

public sealed record PrincipalRow(string Name, string Role, DateTimeOffset CreatedAt);

public sealed record TokenRow(string Id, string Principal, byte[] SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CertificateRow(string Fingerprint, string Principal, DateTimeOffset AddedAt);

public sealed record PasswordRow(string Principal, byte[] Salt, int Iterations, byte[] Hash, string Realm, byte[] DigestSha256, byte[] DigestMd5, DateTimeOffset UpdatedAt);

public sealed record ContactRow(string Principal, string Fields, DateTimeOffset UpdatedAt);

/// <summary>
/// What a store holds, read row by row for <see cref="LogAudit"/>: each store implements only the reading, the
/// audit decides what every row must be.
/// </summary>
public interface IStoredState
{
    /// <summary>Every entry, in index order.</summary>
    IEnumerable<StoredEntry> Entries();

    /// <summary>The stored hashes of these subtrees; a missing one is absent from the answer.</summary>
    IReadOnlyDictionary<NodeId, byte[]> Nodes(IReadOnlyCollection<NodeId> nodes);

    /// <summary>The size the store records for its log apart from the entries, or null when it keeps none.</summary>
    long? RecordedSize();

    IEnumerable<EntityRow> Entities();

    IEnumerable<ReportRow> Reports();

    IEnumerable<AggregateRow> Aggregates();

    IEnumerable<FeedRow> Feed();

    IEnumerable<AllowlistRow> Allowlist();

    IEnumerable<TrustRow> Trust();

    IEnumerable<PrincipalRow> Principals();

    IEnumerable<TokenRow> Tokens();

    IEnumerable<CertificateRow> Certificates();

    IEnumerable<PasswordRow> Passwords();

    IEnumerable<ContactRow> Contacts();
}
