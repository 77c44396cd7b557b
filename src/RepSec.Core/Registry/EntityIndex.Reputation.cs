using System.Collections.Concurrent;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

// The reputation REPUTATION and RDAP serve: each entity's aggregates and allowlist entry, and the norms. Loaded at
// start with the entities, changed only by the single writer after its commit; a reader sees either an entity's
// state before a commit or after it, never half of one (each state is replaced whole, never edited in place).
public sealed partial class EntityIndex
{
    private static readonly Dictionary<string, ReputationAggregate> NoAggregates = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<EntityKey, HeldReputation> _reputation = new(concurrencyLevel: Environment.ProcessorCount, capacity: 1024);
    private Dictionary<string, ReputationAggregate> _norms = new(StringComparer.Ordinal);

    /// <summary>The aggregate over all counted reports of each assertion that has any (for <c>normal-rating</c>).</summary>
    public IReadOnlyDictionary<string, ReputationAggregate> Norms => Volatile.Read(ref _norms);

    /// <summary>The entity's aggregates and allowlist entry, or none.</summary>
    public EntityReputation Reputation(CanonicalEntity entity) =>
        _reputation.TryGetValue(new EntityKey(entity.Type, entity.Key), out var held)
            ? new EntityReputation(entity.Type, entity.Key, entity.Value, held.Assertions, held.Allowlisted)
            : EntityReputation.None(entity);

    /// <summary>Sets the entity's aggregate of one assertion; an aggregate that counts no report is dropped.</summary>
    public void SetAggregate(EntityType type, string key, string assertion, ReputationAggregate aggregate)
    {
        var entity = new EntityKey(type, key);
        var held = _reputation.GetValueOrDefault(entity) ?? HeldReputation.Nothing;
        var assertions = new Dictionary<string, ReputationAggregate>(held.Assertions, StringComparer.Ordinal);
        if (aggregate.Count > 0)
        {
            assertions[string.IsInterned(assertion) ?? assertion] = aggregate;
        }
        else
        {
            assertions.Remove(assertion);
        }

        Replace(entity, held with { Assertions = assertions.Count == 0 ? NoAggregates : assertions });
    }

    /// <summary>Sets (or, with null, removes) the entity's allowlist entry.</summary>
    public void SetAllowlisted(EntityType type, string key, AllowlistEntry? entry)
    {
        var entity = new EntityKey(type, key);
        Replace(entity, (_reputation.GetValueOrDefault(entity) ?? HeldReputation.Nothing) with { Allowlisted = entry });
    }

    /// <summary>Sets an assertion's norm; one that counts no report is dropped.</summary>
    public void SetNorm(string assertion, ReputationAggregate norm)
    {
        var norms = new Dictionary<string, ReputationAggregate>(_norms, StringComparer.Ordinal);
        if (norm.Count > 0)
        {
            norms[assertion] = norm;
        }
        else
        {
            norms.Remove(assertion);
        }

        Volatile.Write(ref _norms, norms);
    }

    private void Replace(EntityKey entity, HeldReputation held)
    {
        if (held.Assertions.Count == 0 && held.Allowlisted is null)
        {
            _reputation.TryRemove(entity, out _);
        }
        else
        {
            _reputation[entity] = held;
        }
    }

    /// <summary>One entity's reputation as served; replaced whole on every change, so readers may hold it.</summary>
    private sealed record HeldReputation(Dictionary<string, ReputationAggregate> Assertions, AllowlistEntry? Allowlisted)
    {
        public static readonly HeldReputation Nothing = new(NoAggregates, null);
    }
}
