using Npgsql;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>
/// Appends log entries inside the caller's write transaction. <see cref="BeginAsync"/> locks the <c>log_head</c> row,
/// so appenders on every node take turns and each sees the size the previous one committed; the frontier (the
/// tree's right edge) is kept between transactions and reloaded whenever that size is not the one this writer
/// last committed (another node appended) or a transaction failed. Entries and the subtrees they complete are
/// buffered and written with the new size in one round trip (<see cref="FlushAsync"/>, or <see cref="AddTo"/> to join
/// the caller's batch).
/// </summary>
internal sealed class PostgresLogWriter
{
    private const string LockSql = "SELECT size FROM log_head WHERE id = 1 FOR UPDATE";

    private const string InsertEntriesSql = """
        INSERT INTO log_entries (log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf, type, key, actor, secret)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[], $5::bytea[], $6::bytea[], $7::bytea[], $8::text[], $9::text[], $10::text[], $11::bytea[])
        """;

    private const string InsertNodesSql = "INSERT INTO log_nodes (id, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])";

    private const string SetSizeSql = "UPDATE log_head SET size = $1 WHERE id = 1";

    private readonly List<(long Index, byte[] Leaf, LogEntryDraft Entry)> _entries = [];
    private readonly List<long> _nodeIds = [];
    private readonly List<byte[]> _nodeHashes = [];
    private MerkleFrontier? _frontier;

    /// <summary>The row id of an interior subtree: level in the top bits, index below (indices stay under 2^48).</summary>
    public static long NodeRowId(int level, long index) => ((long)level << 48) | index;

    public static NodeId NodeOf(long rowId) => new((int)(rowId >> 48), rowId & ((1L << 48) - 1));

    /// <summary>
    /// Locks the log for the caller's transaction and brings the frontier up to the committed size. Runs first in
    /// every transaction that appends, before it changes anything else.
    /// </summary>
    public async Task BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        _entries.Clear();
        _nodeIds.Clear();
        _nodeHashes.Clear();
        long size;
        await using (var command = new NpgsqlCommand(LockSql, connection))
        {
            size = await command.ExecuteScalarAsync(cancellationToken) as long?
                ?? throw new InvalidOperationException("log_head has no row: the database is damaged or was edited");
        }

        if (_frontier?.Size != size)
        {
            _frontier = null;
            var peaks = MerkleFrontier.Peaks(size).Select(p => new NodeId(p.Level, p.Index)).ToList();
            var stored = await LogNodes.ReadAsync(connection, peaks, cancellationToken);
            _frontier = MerkleFrontier.Load(size, (level, index) => stored.TryGetValue(new NodeId(level, index), out var hash)
                ? hash
                : throw new InvalidOperationException($"the log has no stored subtree ({level}, {index}): the database is damaged or was edited"));
        }
    }

    /// <summary>The index the next appended entry gets.</summary>
    public long NextIndex => _frontier?.Size ?? throw new InvalidOperationException("BeginAsync must run first");

    /// <summary>Appends the entry at the next index (written by <see cref="AddTo"/>) and returns that index.</summary>
    public long Append(LogEntryDraft entry)
    {
        var frontier = _frontier ?? throw new InvalidOperationException("BeginAsync must run first");
        var index = frontier.Size;
        var leaf = entry.LeafAt(index).Hash();
        _entries.Add((index, leaf, entry));
        frontier.Append(leaf, (level, nodeIndex, hash) =>
        {
            _nodeIds.Add(NodeRowId(level, nodeIndex));
            _nodeHashes.Add(hash);
        });
        return index;
    }

    /// <summary>Writes what was appended since <see cref="BeginAsync"/>, and the new size, in one round trip.</summary>
    public async Task FlushAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(connection);
        AddTo(batch);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Adds the statements that write what was appended since <see cref="BeginAsync"/>, and the new size.</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        if (_entries.Count == 0)
        {
            return;
        }

        var entries = new NpgsqlBatchCommand(InsertEntriesSql);
        entries.Parameters.Add(Array(e => e.Index));
        entries.Parameters.Add(Array(e => e.Entry.Action));
        entries.Parameters.Add(Array(e => e.Entry.At.ToUnixTimeMilliseconds()));
        entries.Parameters.Add(Array(e => e.Entry.Commitments.Subject));
        entries.Parameters.Add(Array(e => e.Entry.Commitments.Actor));
        entries.Parameters.Add(Array(e => e.Entry.Commitments.Record));
        entries.Parameters.Add(Array(e => e.Leaf));
        entries.Parameters.Add(Array(e => e.Entry.SubjectType));
        entries.Parameters.Add(Array(e => e.Entry.SubjectKey));
        entries.Parameters.Add(Array(e => e.Entry.Actor));
        entries.Parameters.Add(Array(e => e.Entry.Secret));
        batch.BatchCommands.Add(entries);
        if (_nodeIds.Count > 0)
        {
            var nodes = new NpgsqlBatchCommand(InsertNodesSql);
            nodes.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _nodeIds] });
            nodes.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. _nodeHashes] });
            batch.BatchCommands.Add(nodes);
        }

        var size = new NpgsqlBatchCommand(SetSizeSql);
        size.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NextIndex });
        batch.BatchCommands.Add(size);
    }

    /// <summary>After a rollback (or a commit whose outcome is unknown) the frontier may hold leaves never committed.</summary>
    public void Abandon()
    {
        _frontier = null;
        _entries.Clear();
        _nodeIds.Clear();
        _nodeHashes.Clear();
    }

    private NpgsqlParameter<T[]> Array<T>(Func<(long Index, byte[] Leaf, LogEntryDraft Entry), T> column)
    {
        var values = new T[_entries.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column(_entries[i]);
        }

        return new NpgsqlParameter<T[]> { TypedValue = values };
    }
}
