using Microsoft.Data.Sqlite;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

// The reputation extension's reads: prepared on first use, per session.
internal sealed partial class SqliteReadSession
{
    private SqliteCommand? _aggregates;
    private SqliteCommand? _allowlisted;
    private SqliteCommand? _reports;
    private SqliteCommand? _report;
    private SqliteCommand? _changes;
    private SqliteCommand? _trustLevels;

    private SqliteCommand AggregatesCommand => _aggregates ??=
        Prepare("SELECT assertion, count, weight, rated, at FROM reputation_aggregates WHERE type = $type AND key = $key", "$type", "$key");

    private SqliteCommand AllowlistedCommand => _allowlisted ??=
        Prepare("SELECT reason, added_by, added_at, value FROM allowlist WHERE type = $type AND key = $key", "$type", "$key");

    /// <summary>The entity's aggregates and allowlist entry as stored (for the change feed's pages; REPUTATION reads them from memory).</summary>
    public EntityReputation Reputation(EntityType type, string key, string value)
    {
        var wireType = type.ToWire();
        var aggregates = AggregatesCommand;
        aggregates.Parameters[0].Value = wireType;
        aggregates.Parameters[1].Value = key;
        var assertions = new Dictionary<string, ReputationAggregate>(StringComparer.Ordinal);
        using (var reader = aggregates.ExecuteReader())
        {
            while (reader.Read())
            {
                assertions[reader.GetString(0)] = Aggregate(reader, 1);
            }
        }

        var allowlisted = AllowlistedCommand;
        allowlisted.Parameters[0].Value = wireType;
        allowlisted.Parameters[1].Value = key;
        AllowlistEntry? entry = null;
        using (var reader = allowlisted.ExecuteReader())
        {
            if (reader.Read())
            {
                entry = new AllowlistEntry(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
            }
        }

        return new EntityReputation(type, key, value, assertions, entry);
    }

    public IReadOnlyList<StoredReport> Reports(EntityType type, string key, int limit)
    {
        var reports = _reports ??= Prepare($"""
            SELECT {ReputationStatements.ReportColumns} FROM reports
            WHERE type = $type AND key = $key AND ended_at IS NULL ORDER BY id DESC LIMIT $limit
            """, "$type", "$key", "$limit");
        reports.Parameters[0].Value = type.ToWire();
        reports.Parameters[1].Value = key;
        reports.Parameters[2].Value = limit;
        var result = new List<StoredReport>();
        using var reader = reports.ExecuteReader();
        while (reader.Read())
        {
            result.Add(ReputationStatements.ReadReport(reader));
        }

        return result;
    }

    public StoredReport? Report(long id)
    {
        var report = _report ??= Prepare($"SELECT {ReputationStatements.ReportColumns} FROM reports WHERE id = $id", "$id");
        report.Parameters[0].Value = id;
        using var reader = report.ExecuteReader();
        return reader.Read() ? ReputationStatements.ReadReport(reader) : null;
    }

    /// <summary>A page of the change feed, read in one snapshot with each entity's current reputation.</summary>
    public IReadOnlyList<ReputationChange> Changes(long after, int limit)
    {
        var changes = _changes ??= Prepare("SELECT type, key, value, seq, changed_at FROM reputation_changes WHERE seq > $after ORDER BY seq LIMIT $limit", "$after", "$limit");
        changes.Parameters[0].Value = after;
        changes.Parameters[1].Value = limit;
        // Every statement the page runs must be prepared before the snapshot begins, and enlisted in it.
        var (aggregates, allowlisted) = (AggregatesCommand, AllowlistedCommand);
        using var snapshot = _connection.BeginTransaction(deferred: true);
        changes.Transaction = aggregates.Transaction = allowlisted.Transaction = snapshot;
        var page = new List<(EntityType Type, string Key, string Value, long Seq, long At)>();
        using (var reader = changes.ExecuteReader())
        {
            while (reader.Read())
            {
                EntityTypes.TryParse(reader.GetString(0), out var type);
                page.Add((type, reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        var result = new List<ReputationChange>(page.Count);
        try
        {
            foreach (var (type, key, value, seq, at) in page)
            {
                result.Add(new ReputationChange(seq, DateTimeOffset.FromUnixTimeMilliseconds(at), Reputation(type, key, value)));
            }
        }
        finally
        {
            changes.Transaction = aggregates.Transaction = allowlisted.Transaction = null;
        }

        return result;
    }

    public IReadOnlyDictionary<string, double> TrustLevels()
    {
        var trust = _trustLevels ??= Prepare("SELECT principal, trust FROM reporter_trust");
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        using var reader = trust.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetDouble(1);
        }

        return result;
    }

    private void DisposeReputationStatements()
    {
        foreach (var command in (SqliteCommand?[])[_aggregates, _allowlisted, _reports, _report, _changes, _trustLevels])
        {
            command?.Dispose();
        }
    }

    private static ReputationAggregate Aggregate(SqliteDataReader reader, int first) =>
        new(reader.GetInt64(first), reader.GetDouble(first + 1), reader.GetDouble(first + 2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 3)));
}
