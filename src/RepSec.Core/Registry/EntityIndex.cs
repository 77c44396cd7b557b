using System.Collections.Concurrent;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Registry;

/// <summary>
/// The registered entities, held in memory for reads and for the writer's decisions: VERIFY, REGISTER's and
/// REMOVE's checks, RDAP lookups and searches read no database; which log entries name each entity, for AUDIT; and
/// each entity's reputation (aggregates and allowlist entry), for REPUTATION and RDAP. The store loads it once at start from the rows
/// it holds, and its single writer applies each committed change, in commit order, before acknowledging it; so a
/// write acknowledged is seen by the next read, and a row edited in the database behind the server's back changes
/// nothing it serves (<c>repsecd log verify</c> names such a row, and a restart loads it as it is, so VERIFY then
/// reports it as not verified). The database keeps its rows in log order only (no index by name, so a write
/// appends instead of inserting at random places): every lookup by name is answered here. Records hold no copy of
/// their log entry: the store checks each record loaded at start against its entry once (<see cref="Settle"/>), and
/// the record keeps the answer.
/// </summary>
public sealed partial class EntityIndex
{
    private ConcurrentDictionary<EntityKey, EntityRecord> _records = new(concurrencyLevel: Environment.ProcessorCount, capacity: 1024);

    public int Count => _records.Count;

    /// <summary>
    /// Checks the record registered by the log entry at <paramref name="logIndex"/> against that entry (read from the
    /// log by the caller; null when the log has none): whether it matches, which the record keeps; null when no record
    /// held was registered by that entry (removed or registered again since). A record already checked is not
    /// checked again.
    /// </summary>
    public bool? Settle(EntityType type, string key, long logIndex, CommittedEntry? entry) =>
        Find(type, key) is { } record && record.LogIndex == logIndex ? RecordDigest.Settle(record, entry) : null;

    public EntityRecord? Find(EntityType type, string key) => _records.GetValueOrDefault(new EntityKey(type, key));

    public void Set(EntityRecord record)
    {
        var entity = new EntityKey(record.Type, record.Key);
        if (_loading)
        {
            // Loaded in parallel, in no set order: of two rows for one name (an edited database), the later entry's
            // wins, as it would loaded in log order. Ordered for searches once the load ends.
            _records.AddOrUpdate(entity, static (_, added) => added, static (_, held, added) => held.LogIndex > added.LogIndex ? held : added, record);
            return;
        }

        if (_records.TryGetValue(entity, out var replaced))
        {
            Unorder(replaced);
        }

        _records[entity] = record;
        Order(record);
    }

    public void Remove(EntityType type, string key)
    {
        if (!_records.TryRemove(new EntityKey(type, key), out var removed))
        {
            return;
        }

        Unorder(removed);
        // The registration's entry was implied by the record (AddEntry); it stays in the entity's history.
        AddEntry(type, removed.Key, removed.LogIndex);
    }

    /// <summary>
    /// The indices of the log entries whose subject is the entity, oldest first (entries purged since may be among
    /// them: the reader skips an entry that no longer names its subject).
    /// </summary>
    public IReadOnlyList<long> EntriesAbout(EntityType type, string key)
    {
        var entries = _entries.TryGetValue(new EntityKey(type, key), out var list) ? list.ToList() : [];
        if (Find(type, key) is { } record)
        {
            entries.Add(record.LogIndex);
        }

        // A registration removed in the batch that made it is noted twice (by the removal and as appended).
        entries.Sort();
        return entries.Distinct().ToList();
    }

    /// <summary>
    /// Notes a log entry about the entity. A registered entity's own registration entry is not held apart: its
    /// record names it (most entities have no other entry, so most cost nothing here).
    /// </summary>
    public void AddEntry(EntityType type, string key, long logIndex)
    {
        var record = Find(type, key);
        if (record?.LogIndex == logIndex)
        {
            return;
        }

        // The key string is shared with the record when the entity is registered: one copy in memory, not two.
        var entity = new EntityKey(type, record?.Key ?? key);
        _entries.AddOrUpdate(entity, static (_, index) => new EntryList(index), static (_, list, index) => list.With(index), logIndex);
    }

    private readonly ConcurrentDictionary<EntityKey, EntryList> _entries = new(concurrencyLevel: Environment.ProcessorCount, capacity: 1024);

    /// <summary>An entity's entry indices: the first inline, so the usual one-entry history allocates no array.</summary>
    private readonly record struct EntryList(long First, long[]? More = null)
    {
        public EntryList With(long index) => new(First, More is null ? [index] : [.. More, index]);

        public List<long> ToList()
        {
            var list = new List<long>(1 + (More?.Length ?? 0)) { First };
            if (More is not null)
            {
                list.AddRange(More);
            }

            return list;
        }
    }

    private readonly record struct EntityKey(EntityType Type, string Key);
}
