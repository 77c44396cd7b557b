using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>
/// A registered entity as stored, with the log entry that registered it when the store read it with the record (null
/// if that entry is missing, or not held: records held in memory keep only whether they match it, see
/// <see cref="RecordDigest.Settle"/>).
/// </summary>
public sealed record EntityRecord(
    EntityType Type,
    string Key,
    string Value,
    string Owner,
    string? AttributesJson,
    DateTimeOffset RegisteredAt,
    long LogIndex,
    CommittedEntry? Committed)
{
    /// <summary><see cref="RecordDigest.Matches"/> once computed (0: not yet, 1: matches, 2: does not); a record never changes.</summary>
    internal int Authenticity;
}

/// <summary>One entry of an entity's history, with the secret that opens its commitments.</summary>
public sealed record AuditEntry(long Index, string Action, string Actor, DateTimeOffset At, byte[] Secret, EntryCommitments Commitments);

/// <summary>The log's action names (docs/protocol.md, "Entries and leaves").</summary>
public static class AuditActions
{
    public const string Register = "register";
    public const string Remove = "remove";
    public const string PrincipalAdd = "principal_add";
    public const string TokenIssue = "token_issue";
    public const string TokenRevoke = "token_revoke";
    public const string CertificateAdd = "certificate_add";
    public const string CertificateRemove = "certificate_remove";
    public const string PasswordSet = "password_set";
    public const string ContactSet = "contact_set";
}

/// <summary>A registration and the log entry that records it.</summary>
public sealed record Registration(EntityType Type, string Key, string Value, string Owner, string? AttributesJson, DateTimeOffset At, LogEntryDraft Log)
{
    /// <summary>A registration whose log entry commits to the record's digest.</summary>
    public static Registration Create(EntityType type, string key, string value, string owner, string? attributesJson, DateTimeOffset at) =>
        new(type, key, value, owner, attributesJson, at, LogEntryDraft.Create(AuditActions.Register, at, type.ToWire(), key, owner,
            RecordDigest.Compute(type, key, value, owner, attributesJson, at)));

    /// <summary>
    /// The record as committed at <paramref name="index"/>: it matches its entry by construction, so it is known to
    /// match and holds no copy of the entry.
    /// </summary>
    public EntityRecord Committed(long index) => new(Type, Key, Value, Owner, AttributesJson, At, index, Committed: null) { Authenticity = 1 };
}

/// <summary>A removal; <see cref="RequiredOwner"/> null means any owner (an admin acting).</summary>
public sealed record Removal(EntityType Type, string Key, string Actor, string? RequiredOwner, DateTimeOffset At, LogEntryDraft Log)
{
    public static Removal Create(EntityType type, string key, string actor, string? requiredOwner, DateTimeOffset at) =>
        new(type, key, actor, requiredOwner, at, LogEntryDraft.Create(AuditActions.Remove, at, type.ToWire(), key, actor, recordDigest: null));
}

public enum WriteStatus
{
    Done,
    AlreadyRegistered,
    NotFound,
    NotOwner,
}

public readonly record struct WriteOutcome(WriteStatus Status, long LogIndex);

/// <summary>
/// The registry and its audit history. A write returns only once it is durable, and the entity change, its log
/// entry and the tree nodes the entry completes commit together or not at all.
/// </summary>
public interface IRegistryStore
{
    ValueTask<EntityRecord?> FindAsync(EntityType type, string key, CancellationToken cancellationToken = default);

    ValueTask<WriteOutcome> RegisterAsync(Registration registration, CancellationToken cancellationToken = default);

    ValueTask<WriteOutcome> RemoveAsync(Removal removal, CancellationToken cancellationToken = default);

    /// <summary>The entity's history, oldest first; empty when it was never registered.</summary>
    ValueTask<IReadOnlyList<AuditEntry>> GetHistoryAsync(EntityType type, string key, CancellationToken cancellationToken = default);

    /// <summary>One page of registered entities matching a search, in its order.</summary>
    ValueTask<IReadOnlyList<EntityRecord>> SearchAsync(RegistrySearch search, CancellationToken cancellationToken = default);

    /// <summary>How many registered entities match the search's terms (its order, position and limit aside).</summary>
    ValueTask<long> CountAsync(RegistrySearch search, CancellationToken cancellationToken = default);
}
