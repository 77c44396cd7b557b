using Npgsql;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>The transparency log's reads and retention, on the registry's database.</summary>
public sealed partial class PostgresRegistryStore : ITransparencyLogStore
{
    private const int PurgeChunk = 1_000;

    private const string PurgeSql = """
        UPDATE log_entries SET type = NULL, key = NULL, actor = NULL, secret = NULL
        WHERE log_index IN (
            SELECT l.log_index FROM log_entries l
            WHERE l.at < $1 AND l.secret IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.type = l.type AND e.key = l.key AND e.log_index = l.log_index)
              AND NOT (l.type = 'principal' AND EXISTS (SELECT 1 FROM principals p WHERE p.name = l.key))
              AND NOT (l.action = 'allowlist_add' AND EXISTS (SELECT 1 FROM allowlist a WHERE a.type = l.type AND a.key = l.key))
            ORDER BY l.log_index LIMIT $2)
        """;

    /// <summary>The committed size, from the one-row head every append updates (no scan of the log).</summary>
    public async ValueTask<long> GetTreeSizeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT size FROM log_head WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken) as long?
            ?? throw new InvalidOperationException("log_head has no row: the database is damaged or was edited");
    }

    public async ValueTask<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> nodes, CancellationToken cancellationToken = default) =>
        await LogNodes.ReadAsync(_dataSource, nodes, cancellationToken);

    /// <summary>
    /// Clears the opening data of old entries in chunks, each its own short transaction. It needs no log lock: it
    /// never touches a leaf, and an entry it may clear (not the live registration) cannot become live again.
    /// </summary>
    public async ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var purge = new NpgsqlCommand(PurgeSql, connection);
        purge.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff.ToUnixTimeMilliseconds() });
        purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PurgeChunk });
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Outside an explicit transaction each statement commits on its own.
            var purged = await purge.ExecuteNonQueryAsync(cancellationToken);
            total += purged;
            if (purged < PurgeChunk)
            {
                break;
            }
        }

        return total;
    }
}
