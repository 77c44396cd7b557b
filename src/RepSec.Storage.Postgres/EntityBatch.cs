using Npgsql;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// The entities one writer batch touches. They are read once, after the batch has taken the log lock; every
/// entity change runs under that lock, so they cannot change until the batch commits. Each write is then decided in
/// order in memory, exactly as the statements would decide it one by one (an insert that does nothing when the key
/// is taken, a delete that checks the owner), and the net changes are written in the batch's one write round trip.
/// If the rows changed anyway (an edit behind the servers' backs), the delete count or a key conflict fails the batch.
/// </summary>
internal sealed class EntityBatch
{
    private const string ReadSql = """
        SELECT e.type, e.key, e.owner FROM entities e
        JOIN unnest($1::text[], $2::text[]) AS k(type, key) ON e.type = k.type AND e.key = k.key
        """;

    private const string DeleteSql = """
        DELETE FROM entities e USING unnest($1::text[], $2::text[]) AS d(type, key) WHERE e.type = d.type AND e.key = d.key
        """;

    private const string InsertSql = """
        INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
        """;

    private readonly Dictionary<(string Type, string Key), Slot> _slots;
    private NpgsqlBatchCommand? _delete;
    private int _deletes;

    private EntityBatch(Dictionary<(string Type, string Key), Slot> slots) => _slots = slots;

    public static async Task<EntityBatch> ReadAsync(NpgsqlConnection connection, IEnumerable<(string Type, string Key)> keys, CancellationToken cancellationToken)
    {
        var slots = new Dictionary<(string Type, string Key), Slot>();
        foreach (var key in keys)
        {
            slots.TryAdd(key, new Slot());
        }

        await using var read = new NpgsqlCommand(ReadSql, connection);
        read.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. slots.Keys.Select(k => k.Type)] });
        read.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. slots.Keys.Select(k => k.Key)] });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            slots[(reader.GetString(0), reader.GetString(1))].Owner = reader.GetString(2);
        }

        return new EntityBatch(slots);
    }

    /// <summary>Registers the entity at <paramref name="index"/>; false when the key is taken.</summary>
    public bool TryRegister(Registration write, long index)
    {
        var slot = _slots[(write.Type.ToWire(), write.Key)];
        if (slot.Owner is not null)
        {
            return false;
        }

        slot.Owner = write.Owner;
        slot.Inserted = (write, index);
        return true;
    }

    public WriteStatus Remove(Removal write)
    {
        var slot = _slots[(write.Type.ToWire(), write.Key)];
        if (slot.Owner is null)
        {
            return WriteStatus.NotFound;
        }

        if (write.RequiredOwner is not null && !string.Equals(slot.Owner, write.RequiredOwner, StringComparison.Ordinal))
        {
            return WriteStatus.NotOwner;
        }

        // An owner with nothing inserted by this batch is the stored row's.
        slot.DeleteStored |= slot.Inserted is null;
        slot.Inserted = null;
        slot.Owner = null;

        return WriteStatus.Done;
    }

    /// <summary>Adds the net changes: stored rows removed (first, so a key can be removed and registered again), then new rows.</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        var deleted = _slots.Where(s => s.Value.DeleteStored).Select(s => s.Key).ToList();
        if (deleted.Count > 0)
        {
            _delete = new NpgsqlBatchCommand(DeleteSql);
            _delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deleted.Select(k => k.Type)] });
            _delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deleted.Select(k => k.Key)] });
            _deletes = deleted.Count;
            batch.BatchCommands.Add(_delete);
        }

        var inserted = _slots.Values.Where(s => s.Inserted is not null).Select(s => s.Inserted!.Value).ToList();
        if (inserted.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(InsertSql);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. inserted.Select(r => r.Write.Type.ToWire())] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. inserted.Select(r => r.Write.Key)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. inserted.Select(r => r.Write.Value)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. inserted.Select(r => r.Write.Owner)] });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. inserted.Select(r => r.Write.AttributesJson)] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. inserted.Select(r => r.Write.At.ToUnixTimeMilliseconds())] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. inserted.Select(r => r.Index)] });
            batch.BatchCommands.Add(insert);
        }
    }

    /// <summary>After the batch ran: every stored row this batch removed was still there.</summary>
    public void Verify()
    {
        if (_delete is not null && _delete.RecordsAffected != _deletes)
        {
            throw new InvalidOperationException($"removed {_delete.RecordsAffected} of {_deletes} entities read under the log lock: entities were changed outside it");
        }
    }

    private sealed class Slot
    {
        /// <summary>The current owner as the batch has decided so far; null when the key is free.</summary>
        public string? Owner { get; set; }

        /// <summary>Whether the batch removes that stored row.</summary>
        public bool DeleteStored { get; set; }

        /// <summary>The row the batch leaves registered under the key, if it registered one.</summary>
        public (Registration Write, long Index)? Inserted { get; set; }
    }
}
