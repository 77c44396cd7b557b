using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// The reputation extension's writes (REPORTs batched, <see cref="QueuedReport"/>): each one transaction under the log lock (<see cref="ReputationWriter"/>) that
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
    private readonly GroupCommitQueue<QueuedReport, ReportOutcome> _reports;

    public ValueTask<ReportOutcome> ReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken = default) =>
        StorableText.Check([report.Key, report.Value, report.Reporter, report.Assertion, report.Evidence, report.Log.Actor, .. report.Categories]) is { } invalid
            ? ValueTask.FromException<ReportOutcome>(invalid)
            : _reports.SubmitAsync(new QueuedReport(report, defaultTrust, halfLifeDays), cancellationToken);

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

    /// <summary>
    /// Stores a batch of reports (<see cref="QueuedReport"/>) in one transaction: the reporters' trust and latest
    /// reports are read in one round trip, each report is decided in order in memory (a later report in the batch
    /// sees the earlier ones: the interval, and superseding), and the rows, aggregates, feed and log entries are
    /// written in one more.
    /// </summary>
    private async Task<ReportOutcome[]> StoreReportBatchAsync(IReadOnlyList<QueuedReport> batch)
    {
        var cancellationToken = CancellationToken.None;
        await using var write = await _reputation.BeginAsync(cancellationToken);
        var voices = batch.Select(q => Voice(q.Report)).Distinct().ToList();
        var trust = new Dictionary<string, double?>(StringComparer.Ordinal);
        var latest = new Dictionary<(string Reporter, string Type, string Key, string Assertion), (long Id, DateTimeOffset At, CountedReport? Counted)>();
        await using (var reads = new NpgsqlBatch(write.Connection))
        {
            foreach (var voice in voices)
            {
                reads.BatchCommands.Add(BatchCommand(PriorReportSql, Arg(voice.Reporter), Arg(voice.Type), Arg(voice.Key), Arg(voice.Assertion)));
            }

            await using var reader = await reads.ExecuteReaderAsync(cancellationToken);
            foreach (var voice in voices)
            {
                await reader.ReadAsync(cancellationToken);
                trust[voice.Reporter] = reader.IsDBNull(0) ? null : reader.GetDouble(0);
                if (!reader.IsDBNull(1))
                {
                    var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
                    latest[voice] = (reader.GetInt64(1), at, reader.GetBoolean(3)
                        ? new CountedReport(voice.Type, voice.Key, "", voice.Assertion, reader.GetDouble(4), reader.GetDouble(5), at)
                        : null);
                }

                await reader.NextResultAsync(cancellationToken);
            }
        }

        var changes = new ReputationChanges(batch[0].HalfLifeDays);
        await changes.ReadAsync(write.Connection,
            batch.Select(q => new CountedReport(q.Report.Type.ToWire(), q.Report.Key, q.Report.Value, q.Report.Assertion, 0, 0, q.Report.At)), cancellationToken);
        await using var writes = new NpgsqlBatch(write.Connection);
        var outcomes = new ReportOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (report, defaultTrust) = (batch[i].Report, batch[i].DefaultTrust);
            var voice = Voice(report);
            long? superseded = null;
            if (latest.TryGetValue(voice, out var prior))
            {
                // The interval runs from the reporter's latest report, whether or not it still counts.
                if (report.Interval > TimeSpan.Zero && prior.At > report.At - report.Interval)
                {
                    outcomes[i] = new ReportOutcome(ReportStatus.TooSoon, -1, RetryAt: prior.At + report.Interval);
                    continue;
                }

                if (prior.Counted is { } counted)
                {
                    changes.Remove(counted with { Value = report.Value }, counted.Weight, report.At);
                    writes.BatchCommands.Add(BatchCommand(EndReportSql, Arg(prior.Id), Arg("superseded"), Arg(report.At.ToUnixTimeMilliseconds())));
                    superseded = prior.Id;
                }
            }

            var weight = (trust.GetValueOrDefault(report.Reporter) ?? defaultTrust) * report.Confidence;
            var added = new CountedReport(voice.Type, report.Key, report.Value, report.Assertion, report.Rating, weight, report.At);
            changes.Add(added, weight, report.At);
            var id = write.Append(report.Log);
            writes.BatchCommands.Add(BatchCommand(InsertReportSql, Arg(id), Arg(voice.Type), Arg(report.Key), Arg(report.Value), Arg(report.Reporter),
                Arg(report.Assertion), Arg(report.Rating), Arg(report.Confidence), Arg(weight),
                Arg(JsonSerializer.Serialize([.. report.Categories], ReportJson.Default.StringArray)), NullableText(report.Evidence),
                Arg(report.EvidenceSha256), Arg(report.At.ToUnixTimeMilliseconds()), Arg(report.Expires.ToUnixTimeMilliseconds())));
            latest[voice] = (id, report.At, added);
            outcomes[i] = new ReportOutcome(ReportStatus.Done, id, superseded);
        }

        changes.AddTo(writes, batch.Max(q => q.Report.At));
        await write.CommitAsync(writes, cancellationToken);
        return outcomes;
    }

    private static (string Reporter, string Type, string Key, string Assertion) Voice(ReportDraft report) =>
        (report.Reporter, report.Type.ToWire(), report.Key, report.Assertion);

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
