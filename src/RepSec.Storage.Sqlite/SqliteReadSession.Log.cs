using System.Text;
using Microsoft.Data.Sqlite;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Sqlite;

internal sealed partial class SqliteReadSession
{
    private SqliteCommand? _treeSize;
    private SqliteCommand? _leaves;
    private SqliteCommand? _nodes;

    public long TreeSize() =>
        (long)(_treeSize ??= Prepare("SELECT COALESCE(MAX(log_index) + 1, 0) FROM log_entries")).ExecuteScalar()!;

    /// <summary>
    /// Every requested subtree in two statements (leaves live with their entries, interior nodes in log_nodes), the
    /// ids passed as one JSON array parameter.
    /// </summary>
    public Dictionary<NodeId, byte[]> Nodes(IReadOnlyCollection<NodeId> wanted)
    {
        var found = new Dictionary<NodeId, byte[]>(wanted.Count);
        var leaves = wanted.Where(n => n.Level == 0).Select(n => n.Index).ToList();
        var interior = wanted.Where(n => n.Level > 0).Select(n => SqliteLogWriter.NodeRowId(n.Level, n.Index)).ToList();
        if (leaves.Count > 0)
        {
            _leaves ??= Prepare("SELECT log_index, leaf FROM log_entries WHERE log_index IN (SELECT value FROM json_each($ids))", "$ids");
            Read(_leaves, leaves, id => new NodeId(0, id), found);
        }

        if (interior.Count > 0)
        {
            _nodes ??= Prepare("SELECT id, hash FROM log_nodes WHERE id IN (SELECT value FROM json_each($ids))", "$ids");
            Read(_nodes, interior, id => new NodeId((int)(id >> 48), id & ((1L << 48) - 1)), found);
        }

        return found;
    }

    private static void Read(SqliteCommand command, List<long> ids, Func<long, NodeId> toNode, Dictionary<NodeId, byte[]> found)
    {
        command.Parameters[0].Value = new StringBuilder("[").AppendJoin(',', ids).Append(']').ToString();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found[toNode(reader.GetInt64(0))] = (byte[])reader[1];
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = Statements.Create(_connection, sql, parameters);
        command.Prepare();
        return command;
    }

    private void DisposeLogStatements()
    {
        _treeSize?.Dispose();
        _leaves?.Dispose();
        _nodes?.Dispose();
    }
}
