using System.Collections.Concurrent;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>
/// The registered entities, held in memory for reads: VERIFY, REMOVE's owner check and RDAP lookups read no
/// database. The store loads it once at start from the rows it holds, and its single writer applies each
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

    private readonly record struct EntityKey(EntityType Type, string Key);
}
