using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// Checks the whole stored log against itself, reading the database directly: every entry still hashes to its
/// leaf, every opening still opens its commitments, every stored interior node is the hash of its children, and
/// every registered record and every report still matches the entry that recorded it. It proves the database is internally
/// consistent; only clients holding signed checkpoints can prove it was not rewritten wholesale.
/// </summary>
public static class SqliteLogAudit
{
    private const int MaxProblems = 100;

    public static LogAuditReport Run(SqliteDatabase database)
    {
        using var connection = database.Open();
        var problems = new List<string>();
        var frontier = MerkleFrontier.Empty();
        using (var nodes = Statements.Create(connection, "SELECT hash FROM log_nodes WHERE id = $id", "$id"))
        using (var entries = Statements.Create(connection, """
            SELECT log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf, type, key, actor, secret
            FROM log_entries ORDER BY log_index
            """))
        using (var reader = entries.ExecuteReader())
        {
            while (reader.Read())
            {
                var index = reader.GetInt64(0);
                if (index != frontier.Size)
                {
                    Report(problems, $"entry {frontier.Size} is missing (next stored is {index})");
                    break;
                }

                var commitments = new EntryCommitments((byte[])reader[3], (byte[])reader[4], reader.IsDBNull(5) ? null : (byte[])reader[5]);
                var leaf = LogEntryDraft.Leaf(index, reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), commitments).Hash();
                if (!leaf.AsSpan().SequenceEqual((byte[])reader[6]))
                {
                    Report(problems, $"entry {index} no longer hashes to its leaf");
                }

                if (!reader.IsDBNull(10))
                {
                    var secret = (byte[])reader[10];
                    if (!LogCommitment.Opens(LogCommitment.DeriveKey(secret, LogCommitment.Subject), LogCommitment.SubjectOf(reader.GetString(7), reader.GetString(8)), commitments.Subject)
                        || !LogCommitment.Opens(LogCommitment.DeriveKey(secret, LogCommitment.Actor), reader.GetString(9), commitments.Actor))
                    {
                        Report(problems, $"entry {index}: its subject or actor no longer opens its commitments");
                    }
                }

                // Build the tree from the stored leaves and compare every interior node the database holds.
                frontier.Append((byte[])reader[6], (level, nodeIndex, hash) =>
                {
                    nodes.Parameters[0].Value = SqliteLogWriter.NodeRowId(level, nodeIndex);
                    if (nodes.ExecuteScalar() is not byte[] stored || !stored.AsSpan().SequenceEqual(hash))
                    {
                        Report(problems, $"tree node ({level}, {nodeIndex}) is missing or does not match its leaves");
                    }
                });
            }
        }

        var records = CheckRecords(connection, problems);
        var reports = CheckReports(connection, problems);
        return new LogAuditReport(frontier.Size, frontier.Root(), records, problems) { Reports = reports };
    }

    private static long CheckRecords(SqliteConnection connection, List<string> problems)
    {
        using var command = Statements.Create(connection, """
            SELECT e.type, e.key, e.value, e.owner, e.attributes, e.registered_at, e.log_index,
                   l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf
            FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index
            """);
        using var reader = command.ExecuteReader();
        long count = 0;
        while (reader.Read())
        {
            count++;
            EntityTypes.TryParse(reader.GetString(0), out var type);
            var committed = reader.IsDBNull(7) ? null : new CommittedEntry((byte[])reader[7],
                new EntryCommitments((byte[])reader[8], (byte[])reader[9], reader.IsDBNull(10) ? null : (byte[])reader[10]), (byte[])reader[11]);
            var record = new EntityRecord(type, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetInt64(6), committed);
            if (!RecordDigest.Matches(record))
            {
                Report(problems, $"{reader.GetString(0)} {reader.GetString(1)} no longer matches the log entry {record.LogIndex} that registered it");
            }
        }

        return count;
    }

    /// <summary>
    /// Every stored report must match the record commitment of the REPORT entry its id names: the digest is
    /// recomputed from the row (the evidence by its kept hash, and evidence still held must have that hash). Once log
    /// retention has purged the entry's opening, only its action is checked.
    /// </summary>
    private static long CheckReports(SqliteConnection connection, List<string> problems)
    {
        using var command = Statements.Create(connection, $"""
            SELECT r.*, l.action, l.secret, l.record_commitment
            FROM (SELECT {ReputationStatements.ReportColumns}, evidence_sha256 FROM reports) r LEFT JOIN log_entries l ON l.log_index = r.id
            """);
        using var reader = command.ExecuteReader();
        long count = 0;
        while (reader.Read())
        {
            count++;
            var report = ReputationStatements.ReadReport(reader);
            var evidenceSha256 = reader.GetString(14);
            if (reader.IsDBNull(15) || reader.GetString(15) != ReputationActions.Report)
            {
                Report(problems, $"report {report.Id} has no REPORT entry at that log index");
                continue;
            }

            if (reader.IsDBNull(16) || reader.IsDBNull(17))
            {
                continue; // retention purged the entry's secret: its commitments can no longer be opened
            }

            var digest = ReportDraft.Digest(new CanonicalEntity(report.Type, report.Value, report.Key), report.Assertion, report.Rating,
                report.Confidence, report.Categories, evidenceSha256, report.At, report.Expires);
            var key = LogCommitment.DeriveKey((byte[])reader[16], LogCommitment.Record);
            if (!CryptographicOperations.FixedTimeEquals(LogCommitment.Commit(key, digest), (byte[])reader[17])
                || (report.Evidence is { } evidence && ReportDraft.EvidenceHash(evidence) != evidenceSha256))
            {
                Report(problems, $"report {report.Id} no longer matches the log entry that recorded it");
            }
        }

        return count;
    }

    private static void Report(List<string> problems, string problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }
}
