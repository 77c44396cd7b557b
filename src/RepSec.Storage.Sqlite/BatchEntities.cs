using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The writer's view of the registered entities inside one transaction: the committed ones in the
/// <see cref="EntityIndex"/>, overlaid with what the batch has registered and removed so far. The index itself changes
/// only after the commit, so readers never see a write that could still roll back.
/// </summary>
internal sealed class BatchEntities(EntityIndex index)
{
    // null: removed in this batch.
    private readonly Dictionary<(EntityType Type, string Key), EntityRecord?> _changed = [];

    public EntityRecord? Find(EntityType type, string key) =>
        _changed.TryGetValue((type, key), out var record) ? record : index.Find(type, key);

    public void Registered(EntityRecord record) => _changed[(record.Type, record.Key)] = record;

    public void Removed(EntityType type, string key) => _changed[(type, key)] = null;

    /// <summary>At the start of each batch, and after a rollback.</summary>
    public void Clear() => _changed.Clear();
}
