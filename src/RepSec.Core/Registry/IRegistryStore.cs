using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>A registered entity as stored, with the digest its audit entry committed to.</summary>
public sealed record EntityRecord(
    EntityType Type,
    string Key,
    string Value,
    string Owner,
    string? AttributesJson,
    DateTimeOffset RegisteredAt,
    long LogIndex,
    byte[] CommittedDigest);

/// <summary>One entry of an entity's history.</summary>
public sealed record AuditEntry(long Index, string Action, string Actor, DateTimeOffset At);

public static class AuditActions
{
    public const string Register = "register";
    public const string Remove = "remove";
}

public sealed record Registration(EntityType Type, string Key, string Value, string Owner, string? AttributesJson, DateTimeOffset At, byte[] Digest);

/// <summary>A removal; <see cref="RequiredOwner"/> null means any owner (an admin acting).</summary>
public sealed record Removal(EntityType Type, string Key, string Actor, string? RequiredOwner, DateTimeOffset At);

public enum WriteStatus
{
    Done,
    AlreadyRegistered,
    NotFound,
    NotOwner,
}

public readonly record struct WriteOutcome(WriteStatus Status, long LogIndex);

/// <summary>
/// The registry and its audit history. A write returns only once it is durable, and the entity change and its
/// audit entry commit together or not at all.
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
