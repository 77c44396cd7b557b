using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// The reputation extension's writes: each one transaction under the log lock (<see cref="ReputationWriter"/>) that
/// reads what it decides on, writes the report rows, the aggregates it changed (<see cref="ReputationChanges"/>), the
/// change feed and its log entry in one round trip, and commits. Times are stored as unix milliseconds.
/// </summary>
public sealed partial class PostgresRegistryStore : IReputationStore
{
    private const string PriorReportSql = """
        SELECT (SELECT trust FROM reporter_trust WHERE principal = $1), r.id, r.reported_at, r.ended_at IS NULL, r.rating, r.weight
        FROM (VALUES (1)) AS one LEFT JOIN LATERAL (
            SELECT id, reported_at, ended_at, rating, weight FROM reports
            WHERE reporter = $1 AND type = $2 AND key = $3 AND assertion = $4 ORDER BY id DESC LIMIT 1) AS r ON true
        """;

    private const string InsertReportSql = """
        INSERT INTO reports (id, type, key, value, reporter, assertion, rating, confidence, weight, categories, evidence, evidence_sha256, reported_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        """;

    private const string EndReportSql = "UPDATE reports SET ended = $2, ended_at = $3 WHERE id = $1";

    private const string FindReportSql = "SELECT type, key, value, reporter, assertion, rating, weight, reported_at, ended_at FROM reports WHERE id = $1";

    private const string WithdrawSql = "UPDATE reports SET ended = 'withdrawn', ended_at = $2, evidence = NULL WHERE id = $1";

    private const string AllowSql = """
        INSERT INTO allowlist (type, key, value, reason, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (type, key) DO UPDATE SET value = excluded.value, reason = excluded.reason, added_by = excluded.added_by, added_at = excluded.added_at
        """;

    private const string DisallowSql = "DELETE FROM allowlist WHERE type = $1 AND key = $2";

    private const string PrincipalExistsSql = "SELECT EXISTS (SELECT 1 FROM principals WHERE name = $1)";

    private const string ReportsOfSql = """
        SELECT id, type, key, value, assertion, rating, confidence, weight, reported_at FROM reports WHERE reporter = $1 AND ended_at IS NULL
        """;

    private const string SetTrustSql = """
        INSERT INTO reporter_trust (principal, trust, set_by, set_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (principal) DO UPDATE SET trust = excluded.trust, set_by = excluded.set_by, set_at = excluded.set_at
        """;

    private const string ReweighSql = "UPDATE reports r SET weight = w.weight FROM unnest($1::bigint[], $2::float8[]) AS w(id, weight) WHERE r.id = w.id";

    private readonly ReputationWriter _reputation;

    public ValueTask<ReportOutcome> ReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken = default) =>
        StorableText.Check([report.Key, report.Value, report.Reporter, report.Assertion, report.Evidence, report.Log.Actor, .. report.Categories]) is { } invalid
            ? ValueTask.FromException<ReportOutcome>(invalid)
            : new(StoreReportAsync(report, defaultTrust, halfLifeDays, cancellationToken));

    public ValueTask<ReportOutcome> WithdrawAsync(Withdrawal withdrawal, double halfLifeDays, CancellationToken cancellationToken = default) =>
        StorableText.Check(withdrawal.Actor, withdrawal.RequiredReporter) is { } invalid
            ? ValueTask.FromException<ReportOutcome>(invalid)
            : new(StoreWithdrawalAsync(withdrawal, halfLifeDays, cancellationToken));

    public ValueTask<ReportOutcome> SetAllowlistAsync(AllowlistChange change, CancellationToken cancellationToken = default) =>
        StorableText.Check(change.Key, change.Value, change.Reason, change.Actor, change.Log.Actor) is { } invalid
            ? ValueTask.FromException<ReportOutcome>(invalid)
            : new(StoreAllowlistAsync(change, cancellationToken));

    public ValueTask<ReportOutcome> SetTrustAsync(TrustChange change, double halfLifeDays, CancellationToken cancellationToken = default) =>
        StorableText.Check(change.Principal, change.Actor, change.Log.Actor) is { } invalid
            ? ValueTask.FromException<ReportOutcome>(invalid)
            : new(StoreTrustAsync(change, halfLifeDays, cancellationToken));

    private async Task<ReportOutcome> StoreWithdrawalAsync(Withdrawal withdrawal, double halfLifeDays, CancellationToken cancellationToken)
    {
        await using var write = await _reputation.BeginAsync(cancellationToken);
        CountedReport stored;
        await using (var find = write.Command(FindReportSql, Arg(withdrawal.ReportId)))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new ReportOutcome(ReportStatus.NotFound, -1);
            }

            if (withdrawal.RequiredReporter is { } required && !string.Equals(reader.GetString(3), required, StringComparison.Ordinal))
            {
                return new ReportOutcome(ReportStatus.NotReporter, -1);
            }

            if (!reader.IsDBNull(8))
            {
                return new ReportOutcome(ReportStatus.AlreadyWithdrawn, -1);
            }

            stored = new CountedReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(4),
                reader.GetDouble(5), reader.GetDouble(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));
        }

        var changes = new ReputationChanges(halfLifeDays);
        await changes.ReadAsync(write.Connection, [stored], cancellationToken);
        changes.Remove(stored, stored.Weight, withdrawal.At);
        EntityTypes.TryParse(stored.Type, out var type);
        var index = write.Append(withdrawal.LogFor(type, stored.Key));

        await using var writes = new NpgsqlBatch(write.Connection);
        writes.BatchCommands.Add(BatchCommand(WithdrawSql, Arg(withdrawal.ReportId), Arg(withdrawal.At.ToUnixTimeMilliseconds())));
        changes.AddTo(writes, withdrawal.At);
        await write.CommitAsync(writes, cancellationToken);
        return new ReportOutcome(ReportStatus.Done, index);
    }

    private async Task<ReportOutcome> StoreReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken)
    {
        var type = report.Type.ToWire();
        await using var write = await _reputation.BeginAsync(cancellationToken);
        double trust;
        (long Id, CountedReport Report)? counted = null;
        await using (var prior = write.Command(PriorReportSql, Arg(report.Reporter), Arg(type), Arg(report.Key), Arg(report.Assertion)))
        await using (var reader = await prior.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            trust = reader.IsDBNull(0) ? defaultTrust : reader.GetDouble(0);
            if (!reader.IsDBNull(1))
            {
                // The interval runs from the reporter's latest report, whether or not it still counts.
                var latestAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
                if (report.Interval > TimeSpan.Zero && latestAt > report.At - report.Interval)
                {
                    return new ReportOutcome(ReportStatus.TooSoon, -1, RetryAt: latestAt + report.Interval);
                }

                if (reader.GetBoolean(3))
                {
                    counted = (reader.GetInt64(1), new CountedReport(type, report.Key, report.Value, report.Assertion, reader.GetDouble(4), reader.GetDouble(5), latestAt));
                }
            }
        }

        var weight = trust * report.Confidence;
        var added = new CountedReport(type, report.Key, report.Value, report.Assertion, report.Rating, weight, report.At);
        var changes = new ReputationChanges(halfLifeDays);
        await changes.ReadAsync(write.Connection, [added], cancellationToken);
        await using var writes = new NpgsqlBatch(write.Connection);
        if (counted is var (supersededId, superseded))
        {
            changes.Remove(superseded, superseded.Weight, report.At);
            writes.BatchCommands.Add(BatchCommand(EndReportSql, Arg(supersededId), Arg("superseded"), Arg(report.At.ToUnixTimeMilliseconds())));
        }

        changes.Add(added, weight, report.At);
        var id = write.Append(report.Log);
        writes.BatchCommands.Add(BatchCommand(InsertReportSql, Arg(id), Arg(type), Arg(report.Key), Arg(report.Value), Arg(report.Reporter),
            Arg(report.Assertion), Arg(report.Rating), Arg(report.Confidence), Arg(weight),
            Arg(JsonSerializer.Serialize([.. report.Categories], ReportJson.Default.StringArray)), NullableText(report.Evidence),
            Arg(report.EvidenceSha256), Arg(report.At.ToUnixTimeMilliseconds()), Arg(report.Expires.ToUnixTimeMilliseconds())));
        changes.AddTo(writes, report.At);
        await write.CommitAsync(writes, cancellationToken);
        return new ReportOutcome(ReportStatus.Done, id, counted?.Id);
    }

    private async Task<ReportOutcome> StoreAllowlistAsync(AllowlistChange change, CancellationToken cancellationToken)
    {
        var type = change.Type.ToWire();
        await using var write = await _reputation.BeginAsync(cancellationToken);
        await using var writes = new NpgsqlBatch(write.Connection);
        if (change.Reason is { } reason)
        {
            writes.BatchCommands.Add(BatchCommand(AllowSql, Arg(type), Arg(change.Key), Arg(change.Value), Arg(reason), Arg(change.Actor),
                Arg(change.At.ToUnixTimeMilliseconds())));
        }
        else
        {
            await using var remove = write.Command(DisallowSql, Arg(type), Arg(change.Key));
            if (await remove.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new ReportOutcome(ReportStatus.NotFound, -1);
            }
        }

        var changes = new ReputationChanges(halfLifeDays: 0);
        changes.Touch(type, change.Key, change.Value);
        changes.AddTo(writes, change.At);
        var index = write.Append(change.Log);
        await write.CommitAsync(writes, cancellationToken);
        return new ReportOutcome(ReportStatus.Done, index);
    }

    private async Task<ReportOutcome> StoreTrustAsync(TrustChange change, double halfLifeDays, CancellationToken cancellationToken)
    {
        await using var write = await _reputation.BeginAsync(cancellationToken);
        var reports = new List<(long Id, CountedReport Report, double Confidence)>();
        await using (var read = new NpgsqlBatch(write.Connection))
        {
            read.BatchCommands.Add(BatchCommand(PrincipalExistsSql, Arg(change.Principal)));
            read.BatchCommands.Add(BatchCommand(ReportsOfSql, Arg(change.Principal)));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(0))
            {
                return new ReportOutcome(ReportStatus.NotFound, -1);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reports.Add((reader.GetInt64(0), new CountedReport(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDouble(5), reader.GetDouble(7), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))), reader.GetDouble(6)));
            }
        }

        var changes = new ReputationChanges(halfLifeDays);
        await changes.ReadAsync(write.Connection, reports.Select(r => r.Report), cancellationToken);
        var weights = new double[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            var (_, report, confidence) = reports[i];
            weights[i] = change.Trust * confidence;
            changes.Remove(report, report.Weight, change.At);
            changes.Add(report, weights[i], change.At);
        }

        await using var writes = new NpgsqlBatch(write.Connection);
        writes.BatchCommands.Add(BatchCommand(SetTrustSql, Arg(change.Principal), Arg(change.Trust), Arg(change.Actor), Arg(change.At.ToUnixTimeMilliseconds())));
        if (reports.Count > 0)
        {
            writes.BatchCommands.Add(BatchCommand(ReweighSql, Arg(reports.Select(r => r.Id).ToArray()), Arg(weights)));
        }

        changes.AddTo(writes, change.At);
        var index = write.Append(change.Log);
        await write.CommitAsync(writes, cancellationToken);
        return new ReportOutcome(ReportStatus.Done, index);
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Arg<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter NullableText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class ReportJson : JsonSerializerContext;
