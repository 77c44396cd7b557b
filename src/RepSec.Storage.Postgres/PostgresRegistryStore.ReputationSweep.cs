using Npgsql;
using RepSec.Core.Reputation;

namespace RepSec.Storage.Postgres;

/// <summary>The reputation sweep: expired reports leave the aggregates, old evidence is purged.</summary>
public sealed partial class PostgresRegistryStore
{
    /// <summary>Reports ended, and evidence purged, per sweep transaction, so no sweep holds the log lock for long.</summary>
    private const int SweepChunk = 1_000;

    private const string ExpiredSql = """
        SELECT id, type, key, value, assertion, rating, weight, reported_at FROM reports
        WHERE ended_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2
        """;

    private const string ExpireSql = "UPDATE reports SET ended = 'expired', ended_at = $2 WHERE id = ANY($1)";

    // Oldest first, so what retention has purged is always the oldest reports (PostgresLogAudit relies on it).
    private const string PurgeEvidenceSql = """
        UPDATE reports SET evidence = NULL
        WHERE id IN (SELECT id FROM reports WHERE evidence IS NOT NULL AND reported_at < $1 ORDER BY reported_at LIMIT $2)
        """;

    public async ValueTask<SweepResult> SweepAsync(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays, CancellationToken cancellationToken = default)
    {
        var (expired, purged) = (0, 0);
        while (true)
        {
            var (ended, cleared) = await SweepChunkAsync(now, evidenceCutoff, halfLifeDays, cancellationToken);
            expired += ended;
            purged += cleared;
            if (ended < SweepChunk && cleared < SweepChunk)
            {
                return new SweepResult(expired, purged);
            }
        }
    }

    /// <summary>Ends up to a chunk of expired reports and purges up to a chunk of old evidence, in one transaction.</summary>
    private async Task<(int Expired, int Purged)> SweepChunkAsync(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays, CancellationToken cancellationToken)
    {
        // The log lock orders the sweep with every other write, though it appends nothing.
        await using var write = await _reputation.BeginAsync(cancellationToken);
        var expired = new List<(long Id, CountedReport Report)>();
        await using (var read = write.Command(ExpiredSql, Arg(now.ToUnixTimeMilliseconds()), Arg(SweepChunk)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                expired.Add((reader.GetInt64(0), new CountedReport(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDouble(5), reader.GetDouble(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)))));
            }
        }

        var changes = new ReputationChanges(halfLifeDays);
        await changes.ReadAsync(write.Connection, expired.Select(e => e.Report), cancellationToken);
        foreach (var (_, report) in expired)
        {
            changes.Remove(report, report.Weight, now);
        }

        await using var writes = new NpgsqlBatch(write.Connection);
        if (expired.Count > 0)
        {
            writes.BatchCommands.Add(BatchCommand(ExpireSql, Arg(expired.Select(e => e.Id).ToArray()), Arg(now.ToUnixTimeMilliseconds())));
            changes.AddTo(writes, now);
        }

        NpgsqlBatchCommand? purge = null;
        if (evidenceCutoff is { } cutoff)
        {
            purge = BatchCommand(PurgeEvidenceSql, Arg(cutoff.ToUnixTimeMilliseconds()), Arg(SweepChunk));
            writes.BatchCommands.Add(purge);
        }

        await write.CommitAsync(writes, cancellationToken);
        return (expired.Count, purge is null ? 0 : checked((int)purge.RecordsAffected));
    }
}
