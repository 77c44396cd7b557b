using System.Collections.Concurrent;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>
/// The registered entities, held in memory for reads: VERIFY, REMOVE's owner check and RDAP lookups read no
/// database; and which entities have any reputation state (reports or an allowlist entry), so that reading the
/// reputation of one that has none, most of those RDAP shows, reads no database either. The store loads it once at start from the rows it holds, and its single writer applies each
/// committed change, in commit order, before acknowledging it; so a write acknowledged is seen by the next read,
/// and a row edited in the database behind the server's back changes nothing it serves (<c>repsecd log verify</c>
/// names such a row, and a restart loads it as it is, so VERIFY then reports it as not verified).
/// </summary>
public sealed class EntityIndex
{
    private readonly ConcurrentDictionary<EntityKey, EntityRecord> _records = new(concurrencyLevel: Environment.ProcessorCount, capacity: 1024);

    public int Count => _records.Count;

    public EntityRecord? Find(EntityType type, string key) => _records.GetValueOrDefault(new EntityKey(type, key));

    public void Set(EntityRecord record) => _records[new EntityKey(record.Type, record.Key)] = record;

    public void Remove(EntityType type, string key) => _records.TryRemove(new EntityKey(type, key), out _);

    /// <summary>Whether the entity may have reputation state; false means it has none.</summary>
    public bool MayHaveReputation(EntityType type, string key) => _reputed.ContainsKey(new EntityKey(type, key));

    /// <summary>Notes that the entity has reputation state (never taken back: a stale mark only costs a read).</summary>
    public void MarkReputation(EntityType type, string key) => _reputed.TryAdd(new EntityKey(type, key), 0);

    private readonly ConcurrentDictionary<EntityKey, byte> _reputed = new(concurrencyLevel: Environment.ProcessorCount, capacity: 1024);

    private readonly record struct EntityKey(EntityType Type, string Key);
}
