using System.Text.Json;
using Npgsql;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>The reputation extension's reads: single statements on the pooled data source, each one snapshot.</summary>
public sealed partial class PostgresRegistryStore
{
    private const string ReportColumns =
        "id, type, key, value, reporter, assertion, rating, confidence, weight, categories, evidence, reported_at, expires_at, ended_at";

    // One row per counted assertion (or one row of nulls), each carrying the allowlist entry if there is one.
    private const string ReputationSql = """
        SELECT w.reason, w.added_by, w.added_at, a.assertion, a.count, a.weight, a.rated, a.at
        FROM (VALUES (1)) AS one
        LEFT JOIN allowlist w ON w.type = $1 AND w.key = $2
        LEFT JOIN reputation_aggregates a ON a.type = $1 AND a.key = $2 AND a.count > 0
        """;

    // The page of the feed and every entity's state, in one statement, so the page is one consistent snapshot.
    private const string ChangesSql = """
        SELECT c.seq, c.changed_at, c.type, c.key, c.value, w.reason, w.added_by, w.added_at, a.assertion, a.count, a.weight, a.rated, a.at
        FROM (SELECT seq, changed_at, type, key, value FROM reputation_changes WHERE seq > $1 ORDER BY seq LIMIT $2) AS c
        LEFT JOIN allowlist w ON w.type = c.type AND w.key = c.key
        LEFT JOIN reputation_aggregates a ON a.type = c.type AND a.key = c.key AND a.count > 0
        ORDER BY c.seq, a.assertion
        """;

    private const string NormsSql = "SELECT assertion, count, weight, rated, at FROM reputation_norms WHERE count > 0";

    private const string TrustSql = "SELECT principal, trust FROM reporter_trust";

    private const string CountedReportsSql = "SELECT " + ReportColumns + " FROM reports WHERE type = $1 AND key = $2 AND ended_at IS NULL ORDER BY id DESC LIMIT $3";

    private const string ReportSql = "SELECT " + ReportColumns + " FROM reports WHERE id = $1";

    public async ValueTask<EntityReputation> GetAsync(CanonicalEntity entity, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(ReputationSql);
        command.Parameters.Add(Arg(entity.Type.ToWire()));
        command.Parameters.Add(Arg(entity.Key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        AllowlistEntry? allowlisted = null;
        var assertions = new Dictionary<string, ReputationAggregate>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            allowlisted = Allowlisted(reader, 0);
            if (!reader.IsDBNull(3))
            {
                assertions[reader.GetString(3)] = ReputationChanges.Aggregate(reader, 4);
            }
        }

        return new EntityReputation(entity.Type, entity.Key, entity.Value, assertions, allowlisted);
    }

    public async ValueTask<IReadOnlyDictionary<string, ReputationAggregate>> GetNormsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(NormsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var norms = new Dictionary<string, ReputationAggregate>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            norms[reader.GetString(0)] = ReputationChanges.Aggregate(reader, 1);
        }

        return norms;
    }

    public async ValueTask<IReadOnlyList<StoredReport>> GetReportsAsync(EntityType type, string key, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var command = _dataSource.CreateCommand(CountedReportsSql);
        command.Parameters.Add(Arg(type.ToWire()));
        command.Parameters.Add(Arg(key));
        command.Parameters.Add(Arg(limit));
        return await ReadReportsAsync(command, cancellationToken);
    }

    public async ValueTask<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(ReportSql);
        command.Parameters.Add(Arg(id));
        var reports = await ReadReportsAsync(command, cancellationToken);
        return reports.Count > 0 ? reports[0] : null;
    }

    public async ValueTask<IReadOnlyList<ReputationChange>> GetChangesAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        var changes = new List<ReputationChange>();
        if (limit <= 0)
        {
            return changes;
        }

        await using var command = _dataSource.CreateCommand(ChangesSql);
        command.Parameters.Add(Arg(after));
        command.Parameters.Add(Arg(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Dictionary<string, ReputationAggregate>? assertions = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            if (changes.Count == 0 || changes[^1].Sequence != sequence)
            {
                EntityTypes.TryParse(reader.GetString(2), out var type);
                assertions = new Dictionary<string, ReputationAggregate>(StringComparer.Ordinal);
                changes.Add(new ReputationChange(sequence, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    new EntityReputation(type, reader.GetString(3), reader.GetString(4), assertions, Allowlisted(reader, 5))));
            }

            if (!reader.IsDBNull(8))
            {
                assertions![reader.GetString(8)] = ReputationChanges.Aggregate(reader, 9);
            }
        }

        return changes;
    }

    public async ValueTask<IReadOnlyDictionary<string, double>> GetTrustAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(TrustSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var levels = new Dictionary<string, double>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            levels[reader.GetString(0)] = reader.GetDouble(1);
        }

        return levels;
    }

    /// <summary>Reads rows of <see cref="ReportColumns"/>.</summary>
    private static async Task<List<StoredReport>> ReadReportsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<StoredReport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            EntityTypes.TryParse(reader.GetString(1), out var type);
            reports.Add(new StoredReport(reader.GetInt64(0), type, reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8),
                JsonSerializer.Deserialize(reader.GetString(9), ReportJson.Default.StringArray) ?? [],
                reader.IsDBNull(10) ? null : reader.GetString(10),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
                reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13))));
        }

        return reports;
    }

    /// <summary>The allowlist entry from three columns starting at <paramref name="first"/> (reason, added_by, added_at), or null.</summary>
    private static AllowlistEntry? Allowlisted(NpgsqlDataReader reader, int first) =>
        reader.IsDBNull(first) ? null
            : new AllowlistEntry(reader.GetString(first), reader.GetString(first + 1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2)));
}
