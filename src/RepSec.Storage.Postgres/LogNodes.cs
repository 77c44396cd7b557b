using Npgsql;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>Reads stored subtrees: leaves live with their entries, interior nodes in <c>log_nodes</c>.</summary>
internal static class LogNodes
{
    private const string LeavesSql = "SELECT log_index, leaf FROM log_entries WHERE log_index = ANY($1)";
    private const string InteriorSql = "SELECT id, hash FROM log_nodes WHERE id = ANY($1)";

    /// <summary>Reads on a pooled connection of its own.</summary>
    public static async Task<Dictionary<NodeId, byte[]>> ReadAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<NodeId> wanted, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        return await ReadAsync(batch, wanted, cancellationToken);
    }

    /// <summary>Reads on the caller's connection, inside its transaction.</summary>
    public static async Task<Dictionary<NodeId, byte[]>> ReadAsync(NpgsqlConnection connection, IReadOnlyCollection<NodeId> wanted, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        return await ReadAsync(batch, wanted, cancellationToken);
    }

    /// <summary>Every requested subtree that is stored, in one round trip: two statements, the ids as bigint[] parameters.</summary>
    private static async Task<Dictionary<NodeId, byte[]>> ReadAsync(NpgsqlBatch batch, IReadOnlyCollection<NodeId> wanted, CancellationToken cancellationToken)
    {
        var found = new Dictionary<NodeId, byte[]>(wanted.Count);
        var results = new List<Func<long, NodeId>>(2);
        var leaves = wanted.Where(n => n.Level == 0).Select(n => n.Index).ToArray();
        if (leaves.Length > 0)
        {
            batch.BatchCommands.Add(Command(LeavesSql, leaves));
            results.Add(index => new NodeId(0, index));
        }

        var interior = wanted.Where(n => n.Level > 0).Select(n => PostgresLogWriter.NodeRowId(n.Level, n.Index)).ToArray();
        if (interior.Length > 0)
        {
            batch.BatchCommands.Add(Command(InteriorSql, interior));
            results.Add(PostgresLogWriter.NodeOf);
        }

        if (results.Count == 0)
        {
            return found;
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var toNode in results)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found[toNode(reader.GetInt64(0))] = reader.GetFieldValue<byte[]>(1);
            }

            await reader.NextResultAsync(cancellationToken);
        }

        return found;
    }

    private static NpgsqlBatchCommand Command(string sql, long[] ids)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        return command;
    }
}
