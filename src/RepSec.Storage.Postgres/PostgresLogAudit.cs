using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>
/// Checks the whole stored log against itself, reading the database directly: every entry still hashes to its
/// leaf, every opening still opens its commitments, every stored interior node is the hash of its children, the
/// head's size is the number of entries, every registered record still matches the entry that registered it, and
/// every stored report still matches the entry that recorded it.
/// It runs in one read-only snapshot, so nodes may keep writing meanwhile. It proves the database is internally
/// consistent; only clients holding signed checkpoints can prove it was not rewritten wholesale.
/// </summary>
public static class PostgresLogAudit
{
    private const int MaxProblems = 100;
    private const int Chunk = 4_096;

    public static LogAuditReport Run(PostgresDatabase database)
    {
        using var connection = database.DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection))
        {
            readOnly.ExecuteNonQuery();
        }

        var problems = new List<string>();
        var frontier = CheckEntries(connection, problems);
        using (var head = new NpgsqlCommand("SELECT size FROM log_head WHERE id = 1", connection))
        {
            var size = head.ExecuteScalar() as long?;
            if (size != frontier.Size)
            {
                Report(problems, $"the log head says {size?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} about its size, but {frontier.Size} entries are stored in sequence");
            }
        }

        var records = CheckRecords(connection, problems);
        var reports = CheckReports(connection, problems);
        return new LogAuditReport(frontier.Size, frontier.Root(), records, problems) { Reports = reports };
    }

    /// <summary>Reads the entries in index order, a chunk at a time, and checks each chunk's leaves and completed subtrees.</summary>
    private static MerkleFrontier CheckEntries(NpgsqlConnection connection, List<string> problems)
    {
        var frontier = MerkleFrontier.Empty();
        var completed = new List<(int Level, long Index, byte[] Hash)>();
        using var entries = new NpgsqlCommand("""
            SELECT log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf, type, key, actor, secret
            FROM log_entries WHERE log_index >= $1 ORDER BY log_index LIMIT $2
            """, connection);
        entries.Parameters.Add(new NpgsqlParameter<long>());
        entries.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Chunk });
        while (true)
        {
            ((NpgsqlParameter<long>)entries.Parameters[0]).TypedValue = frontier.Size;
            var read = 0;
            var gap = false;
            using (var reader = entries.ExecuteReader())
            {
                while (reader.Read())
                {
                    read++;
                    var index = reader.GetInt64(0);
                    if (index != frontier.Size)
                    {
                        Report(problems, $"entry {frontier.Size} is missing (next stored is {index})");
                        gap = true;
                        break;
                    }

                    CheckEntry(reader, index, problems);
                    // Build the tree from the stored leaves; the interior nodes it completes are compared below.
                    frontier.Append(reader.GetFieldValue<byte[]>(6), (level, nodeIndex, hash) => completed.Add((level, nodeIndex, hash)));
                }
            }

            CheckNodes(connection, completed, problems);
            completed.Clear();
            if (gap || read < Chunk)
            {
                return frontier;
            }
        }
    }

    private static void CheckEntry(NpgsqlDataReader reader, long index, List<string> problems)
    {
        var commitments = new EntryCommitments(reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4), PostgresRegistryStore.NullableBytes(reader, 5));
        var leaf = LogEntryDraft.Leaf(index, reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), commitments).Hash();
        if (!leaf.AsSpan().SequenceEqual(reader.GetFieldValue<byte[]>(6)))
        {
            Report(problems, $"entry {index} no longer hashes to its leaf");
        }

        if (!reader.IsDBNull(10))
        {
            var secret = reader.GetFieldValue<byte[]>(10);
            if (!LogCommitment.Opens(LogCommitment.DeriveKey(secret, LogCommitment.Subject), LogCommitment.SubjectOf(reader.GetString(7), reader.GetString(8)), commitments.Subject)
                || !LogCommitment.Opens(LogCommitment.DeriveKey(secret, LogCommitment.Actor), reader.GetString(9), commitments.Actor))
            {
                Report(problems, $"entry {index}: its subject or actor no longer opens its commitments");
            }
        }
    }

    private static void CheckNodes(NpgsqlConnection connection, List<(int Level, long Index, byte[] Hash)> completed, List<string> problems)
    {
        if (completed.Count == 0)
        {
            return;
        }

        var stored = new Dictionary<long, byte[]>(completed.Count);
        using (var nodes = new NpgsqlCommand("SELECT id, hash FROM log_nodes WHERE id = ANY($1)", connection))
        {
            nodes.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. completed.Select(c => PostgresLogWriter.NodeRowId(c.Level, c.Index))] });
            using var reader = nodes.ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetInt64(0)] = reader.GetFieldValue<byte[]>(1);
            }
        }

        foreach (var (level, index, hash) in completed)
        {
            if (!stored.TryGetValue(PostgresLogWriter.NodeRowId(level, index), out var found) || !found.AsSpan().SequenceEqual(hash))
            {
                Report(problems, $"tree node ({level}, {index}) is missing or does not match its leaves");
            }
        }
    }

    private static long CheckRecords(NpgsqlConnection connection, List<string> problems)
    {
        using var command = new NpgsqlCommand("""
            SELECT e.type, e.key, e.value, e.owner, e.attributes, e.registered_at, e.log_index,
                   l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf
            FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index
            """, connection);
        using var reader = command.ExecuteReader();
        long count = 0;
        while (reader.Read())
        {
            count++;
            EntityTypes.TryParse(reader.GetString(0), out var type);
            var record = new EntityRecord(type, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetInt64(6), PostgresRegistryStore.Committed(reader, 7));
            if (!RecordDigest.Matches(record))
            {
                Report(problems, $"{reader.GetString(0)} {reader.GetString(1)} no longer matches the log entry {record.LogIndex} that registered it");
            }
        }

        return count;
    }

    /// <summary>
    /// Recomputes each report's digest from its row (the evidence by its kept hash, and evidence still held must have
    /// that hash) and checks that it opens the record commitment of the report's entry (whose index is the report's
    /// id), that the entry is a report made at the report's time, and that its actor is the reporter. Once log
    /// retention has purged an entry's opening, only its action and time are checked. Returns how many reports there are.
    /// </summary>
    private static long CheckReports(NpgsqlConnection connection, List<string> problems)
    {
        using var command = new NpgsqlCommand("""
            SELECT r.id, r.type, r.key, r.value, r.reporter, r.assertion, r.rating, r.confidence, r.categories, r.evidence, r.reported_at,
                   r.expires_at, l.action, l.at, l.secret, l.actor_commitment, l.record_commitment, r.evidence_sha256
            FROM reports r LEFT JOIN log_entries l ON l.log_index = r.id ORDER BY r.id
            """, connection);
        using var reader = command.ExecuteReader();
        var count = 0L;
        while (reader.Read())
        {
            count++;
            var id = reader.GetInt64(0);
            var reportedAt = reader.GetInt64(10);
            if (reader.IsDBNull(12) || reader.GetString(12) != ReputationActions.Report || reader.GetInt64(13) != reportedAt)
            {
                Report(problems, $"report {id} is not what log entry {id} records (no such entry, another action or another time)");
                continue;
            }

            if (reader.IsDBNull(14))
            {
                continue;
            }

            var secret = reader.GetFieldValue<byte[]>(14);
            if (!LogCommitment.Opens(LogCommitment.DeriveKey(secret, LogCommitment.Actor), reader.GetString(4), reader.GetFieldValue<byte[]>(15)))
            {
                Report(problems, $"report {id}: its reporter no longer opens the actor commitment of its log entry");
                continue;
            }

            var evidenceSha256 = reader.GetString(17);
            if (!ReportOpens(reader, secret, evidenceSha256)
                || (!reader.IsDBNull(9) && ReportDraft.EvidenceHash(reader.GetString(9)) != evidenceSha256))
            {
                Report(problems, $"report {id} no longer matches the log entry that recorded it");
            }
        }

        return count;
    }

    private static bool ReportOpens(NpgsqlDataReader reader, byte[] secret, string evidenceSha256)
    {
        if (reader.IsDBNull(16) || !EntityTypes.TryParse(reader.GetString(1), out var type))
        {
            return false;
        }

        string[] categories;
        try
        {
            categories = JsonSerializer.Deserialize(reader.GetString(8), ReportJson.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            return false;
        }

        var digest = ReportDraft.Digest(new CanonicalEntity(type, reader.GetString(3), reader.GetString(2)), reader.GetString(5), reader.GetDouble(6),
            reader.GetDouble(7), categories, evidenceSha256, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)));
        var commitment = LogCommitment.Commit(LogCommitment.DeriveKey(secret, LogCommitment.Record), digest);
        return CryptographicOperations.FixedTimeEquals(commitment, reader.GetFieldValue<byte[]>(16));
    }

    private static void Report(List<string> problems, string problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }
}
