using Microsoft.Data.Sqlite;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// Appends log entries inside the caller's write transaction: the entry row with its leaf hash, and every interior
/// subtree the leaf completes. The frontier (the tree's right edge) is kept between transactions and reloaded
/// from the database whenever another writer (repsecd's admin commands) has appended in between, or a transaction
/// failed after appending.
/// </summary>
internal sealed class SqliteLogWriter : IDisposable
{
    private readonly SqliteCommand _size;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _insertNode;
    private readonly SqliteCommand _readNode;
    private readonly SqliteCommand _readLeaf;
    private MerkleFrontier? _frontier;

    public SqliteLogWriter(SqliteConnection connection)
    {
        _size = Statements.Create(connection, "SELECT COALESCE(MAX(log_index) + 1, 0) FROM log_entries");
        _insertEntry = Statements.Create(connection, """
            INSERT INTO log_entries (log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf, type, key, actor, secret)
            VALUES ($index, $action, $at, $subject, $actorCommitment, $record, $leaf, $type, $key, $actor, $secret)
            """, "$index", "$action", "$at", "$subject", "$actorCommitment", "$record", "$leaf", "$type", "$key", "$actor", "$secret");
        _insertNode = Statements.Create(connection, "INSERT INTO log_nodes (id, hash) VALUES ($id, $hash)", "$id", "$hash");
        _readNode = Statements.Create(connection, "SELECT hash FROM log_nodes WHERE id = $id", "$id");
        _readLeaf = Statements.Create(connection, "SELECT leaf FROM log_entries WHERE log_index = $index", "$index");
    }

    /// <summary>The row id of an interior subtree: level in the top bits, index below (indices stay under 2^48).</summary>
    public static long NodeRowId(int level, long index) => ((long)level << 48) | index;

    public void Enlist(SqliteTransaction? transaction) =>
        _size.Transaction = _insertEntry.Transaction = _insertNode.Transaction = _readNode.Transaction = _readLeaf.Transaction = transaction;

    /// <summary>Called under the write lock before appending: brings the frontier up to the committed size.</summary>
    public void Begin()
    {
        _appended.Clear();
        var size = (long)_size.ExecuteScalar()!;
        if (_frontier?.Size != size)
        {
            _frontier = MerkleFrontier.Load(size, ReadSubtree);
        }
    }

    /// <summary>The index the next appended entry gets.</summary>
    public long NextIndex => _frontier?.Size ?? throw new InvalidOperationException("Begin must run first");

    /// <summary>Appends the entry at the next index and returns that index.</summary>
    public long Append(LogEntryDraft entry)
    {
        var frontier = _frontier ?? throw new InvalidOperationException("Begin must run first");
        var index = frontier.Size;
        var leaf = entry.LeafAt(index).Hash();
        var p = _insertEntry.Parameters;
        p[0].Value = index;
        p[1].Value = entry.Action;
        p[2].Value = entry.At.ToUnixTimeMilliseconds();
        p[3].Value = entry.Commitments.Subject;
        p[4].Value = entry.Commitments.Actor;
        p[5].Value = (object?)entry.Commitments.Record ?? DBNull.Value;
        p[6].Value = leaf;
        p[7].Value = entry.SubjectType;
        p[8].Value = entry.SubjectKey;
        p[9].Value = entry.Actor;
        p[10].Value = entry.Secret;
        _insertEntry.ExecuteNonQuery();
        frontier.Append(leaf, (level, nodeIndex, hash) =>
        {
            _insertNode.Parameters[0].Value = NodeRowId(level, nodeIndex);
            _insertNode.Parameters[1].Value = hash;
            _insertNode.ExecuteNonQuery();
        });
        _appended.Add((entry.SubjectType, entry.SubjectKey, index));
        return index;
    }

    /// <summary>The subject and index of each entry appended since <see cref="Begin"/>, in log order.</summary>
    public IReadOnlyList<(string SubjectType, string SubjectKey, long Index)> Appended => _appended;

    private readonly List<(string SubjectType, string SubjectKey, long Index)> _appended = [];

    /// <summary>After a rollback the frontier holds leaves that were never committed.</summary>
    public void Abandon()
    {
        _frontier = null;
        _appended.Clear();
    }

    public void Dispose()
    {
        _size.Dispose();
        _insertEntry.Dispose();
        _insertNode.Dispose();
        _readNode.Dispose();
        _readLeaf.Dispose();
    }

    private byte[] ReadSubtree(int level, long index)
    {
        var command = level == 0 ? _readLeaf : _readNode;
        command.Parameters[0].Value = level == 0 ? index : NodeRowId(level, index);
        return command.ExecuteScalar() as byte[]
            ?? throw new InvalidOperationException($"the log has no stored subtree ({level}, {index}): the database is damaged or was edited");
    }
}
