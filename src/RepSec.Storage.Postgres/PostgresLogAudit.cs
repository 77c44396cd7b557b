using System.Data;
using Npgsql;
using RepSec.Core.Reputation;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>
/// <c>repsecd log verify</c> on PostgreSQL: the database's rows read for <see cref="LogAudit"/>, which decides what
/// each must be. It reads in one read-only snapshot, so nodes may keep writing meanwhile. Nothing here checks anything.
/// </summary>
public static class PostgresLogAudit
{
    private const int Chunk = 4_096;

    private const string EntryColumns = "log_index, action, at, subject_commitment, actor_commitment, record_commitment, leaf, type, key, actor, secret";

    public static LogAuditReport Run(PostgresDatabase database, ReputationOptions? reputation = null)
    {
        using var connection = database.DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection))
        {
            readOnly.ExecuteNonQuery();
        }

        return LogAudit.Run(new Rows(connection), reputation);
    }

    /// <summary>Each read is complete before it is handed on: one connection holds one open reader at a time.</summary>
    private sealed class Rows(NpgsqlConnection connection) : IStoredState
    {
        public IEnumerable<StoredEntry> Entries()
        {
            using var command = new NpgsqlCommand($"SELECT {EntryColumns} FROM log_entries WHERE log_index >= $1 ORDER BY log_index LIMIT $2", connection);
            command.Parameters.Add(new NpgsqlParameter<long>());
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Chunk });
            var next = 0L;
            while (true)
            {
                ((NpgsqlParameter<long>)command.Parameters[0]).TypedValue = next;
                var chunk = new List<StoredEntry>(Chunk);
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        chunk.Add(Entry(reader, 0)!);
                    }
                }

                foreach (var entry in chunk)
                {
                    yield return entry;
                }

                if (chunk.Count < Chunk)
                {
                    yield break;
                }

                next = chunk[^1].Index + 1;
            }
        }

        public IReadOnlyDictionary<NodeId, byte[]> Nodes(IReadOnlyCollection<NodeId> nodes)
        {
            var ids = nodes.ToDictionary(node => PostgresLogWriter.NodeRowId(node.Level, node.Index));
            using var command = new NpgsqlCommand("SELECT id, hash FROM log_nodes WHERE id = ANY($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids.Keys] });
            var found = new Dictionary<NodeId, byte[]>(nodes.Count);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found[ids[reader.GetInt64(0)]] = reader.GetFieldValue<byte[]>(1);
            }

            return found;
        }

        public long? RecordedSize()
        {
            using var head = new NpgsqlCommand("SELECT size FROM log_head WHERE id = 1", connection);
            return head.ExecuteScalar() as long? ?? -1;
        }

        public IEnumerable<EntityRow> Entities() => Read($"""
            SELECT e.type, e.key, e.value, e.owner, e.attributes, e.registered_at, e.log_index, l.*
            FROM entities e LEFT JOIN (SELECT {EntryColumns} FROM log_entries) l ON l.log_index = e.log_index
            """, reader => new EntityRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(reader, 4),
                Time(reader, 5), reader.GetInt64(6), Entry(reader, 7)));

        public IEnumerable<ReportRow> Reports() => Read($"""
            SELECT r.id, r.type, r.key, r.value, r.reporter, r.assertion, r.rating, r.confidence, r.weight, r.categories, r.evidence,
                   r.evidence_sha256, r.reported_at, r.expires_at, r.ended_at, r.ended, l.*
            FROM reports r LEFT JOIN (SELECT {EntryColumns} FROM log_entries) l ON l.log_index = r.id
            """, reader => new ReportRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetString(9), NullableString(reader, 10),
                reader.GetString(11), Time(reader, 12), Time(reader, 13), NullableTime(reader, 14), NullableString(reader, 15), Entry(reader, 16)));

        public IEnumerable<AggregateRow> Aggregates() => Read("""
            SELECT type, key, assertion, count, weight, rated, at FROM reputation_aggregates
            UNION ALL SELECT NULL, NULL, assertion, count, weight, rated, at FROM reputation_norms
            """, reader => new AggregateRow(NullableString(reader, 0), NullableString(reader, 1), reader.GetString(2), reader.GetInt64(3),
                reader.GetDouble(4), reader.GetDouble(5), Time(reader, 6)));

        public IEnumerable<FeedRow> Feed() => Read("SELECT type, key, value, seq, changed_at FROM reputation_changes",
            reader => new FeedRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), Time(reader, 4)));

        public IEnumerable<AllowlistRow> Allowlist() => Read("SELECT type, key, value, reason, added_by, added_at FROM allowlist",
            reader => new AllowlistRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), Time(reader, 5)));

        public IEnumerable<TrustRow> Trust() => Read("SELECT principal, trust, set_by, set_at FROM reporter_trust",
            reader => new TrustRow(reader.GetString(0), reader.GetDouble(1), reader.GetString(2), Time(reader, 3)));

        public IEnumerable<PrincipalRow> Principals() => Read("SELECT name, role, created_at FROM principals",
            reader => new PrincipalRow(reader.GetString(0), reader.GetString(1), Time(reader, 2)));

        public IEnumerable<TokenRow> Tokens() => Read("SELECT id, principal, secret_hash, created_at, revoked_at FROM tokens",
            reader => new TokenRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), Time(reader, 3), NullableTime(reader, 4)));

        public IEnumerable<CertificateRow> Certificates() => Read("SELECT fingerprint, principal, added_at FROM client_certificates",
            reader => new CertificateRow(reader.GetString(0), reader.GetString(1), Time(reader, 2)));

        public IEnumerable<PasswordRow> Passwords() => Read(
            "SELECT principal, salt, iterations, hash, realm, digest_sha256, digest_md5, updated_at FROM passwords",
            reader => new PasswordRow(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetInt32(2), reader.GetFieldValue<byte[]>(3),
                reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<byte[]>(6), Time(reader, 7)));

        public IEnumerable<ContactRow> Contacts() => Read("SELECT principal, fields, updated_at FROM contacts",
            reader => new ContactRow(reader.GetString(0), reader.GetString(1), Time(reader, 2)));

        private List<T> Read<T>(string sql, Func<NpgsqlDataReader, T> row)
        {
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(row(reader));
            }

            return rows;
        }

        /// <summary>The entry whose <see cref="EntryColumns"/> start at <paramref name="at"/>, or null when the join found none.</summary>
        private static StoredEntry? Entry(NpgsqlDataReader reader, int at) => reader.IsDBNull(at) ? null : new StoredEntry(
            reader.GetInt64(at), reader.GetString(at + 1), Time(reader, at + 2),
            new EntryCommitments(reader.GetFieldValue<byte[]>(at + 3), reader.GetFieldValue<byte[]>(at + 4), PostgresRegistryStore.NullableBytes(reader, at + 5)),
            reader.GetFieldValue<byte[]>(at + 6), NullableString(reader, at + 7), NullableString(reader, at + 8), NullableString(reader, at + 9),
            PostgresRegistryStore.NullableBytes(reader, at + 10));

        private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

        private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

        private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);
    }
}
