using RepSec.Core.Transparency;

namespace RepSec.Storage.Sqlite;

/// <summary>The transparency log's reads and retention, on the registry's database.</summary>
public sealed partial class SqliteRegistryStore : ITransparencyLogStore
{
    private const int PurgeChunk = 1_000;

    public ValueTask<long> GetTreeSizeAsync(CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult(session.TreeSize());
        }
        finally
        {
            Return(session);
        }
    }

    public ValueTask<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> nodes, CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult<IReadOnlyDictionary<NodeId, byte[]>>(session.Nodes(nodes));
        }
        finally
        {
            Return(session);
        }
    }

    /// <summary>
    /// Clears the opening data of old entries in short transactions of its own, so the group-commit writer waits at
    /// most one chunk for the write lock.
    /// </summary>
    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        using var connection = _database.Open();
        using var purge = Statements.Create(connection, """
            UPDATE log_entries SET type = NULL, key = NULL, actor = NULL, secret = NULL
            WHERE log_index IN (
                SELECT l.log_index FROM log_entries l
                WHERE l.at < $cutoff AND l.secret IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.log_index = l.log_index AND e.type = l.type AND e.key = l.key)
                  AND NOT (l.type = 'principal' AND EXISTS (SELECT 1 FROM principals p WHERE p.name = l.key))
                  AND NOT (l.action = 'allowlist_add' AND EXISTS (SELECT 1 FROM allowlist a WHERE a.type = l.type AND a.key = l.key))
                ORDER BY l.log_index LIMIT $chunk)
            """, "$cutoff", "$chunk");
        purge.Parameters[0].Value = cutoff.ToUnixTimeMilliseconds();
        purge.Parameters[1].Value = PurgeChunk;
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            purge.Transaction = transaction;
            var purged = purge.ExecuteNonQuery();
            transaction.Commit();
            total += purged;
            if (purged < PurgeChunk)
            {
                break;
            }
        }

        return ValueTask.FromResult(total);
    }
}
