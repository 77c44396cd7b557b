using Microsoft.Data.Sqlite;
using SQLitePCL;
using RepSec.Core.Registry;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// A read connection with its statements prepared once. The entity lookup (every VERIFY) runs on the raw
/// SQLite statement: binding, stepping and reading columns without the ADO.NET reader objects around them.
/// </summary>
internal sealed partial class SqliteReadSession : IDisposable
{
    private const string FindSql = """
        SELECT e.value, e.owner, e.attributes, e.registered_at, e.log_index,
               l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf
        FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index
        WHERE e.type = ?1 AND e.key = ?2
        """;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _find;
    private readonly SqliteCommand _history;

    public SqliteReadSession(SqliteConnection connection)
    {
        _connection = connection;
        Check(raw.sqlite3_prepare_v2(connection.Handle, FindSql, out _find));
        _history = connection.CreateCommand();
        _history.CommandText = """
            SELECT log_index, action, actor, at, secret, subject_commitment, actor_commitment, record_commitment
            FROM log_entries WHERE type = $type AND key = $key ORDER BY log_index
            """;
        _history.Parameters.Add("$type", SqliteType.Text);
        _history.Parameters.Add("$key", SqliteType.Text);
        _history.Prepare();
    }

    public EntityRecord? Find(EntityType type, string key)
    {
        try
        {
            Check(raw.sqlite3_bind_text(_find, 1, type.ToWire()));
            Check(raw.sqlite3_bind_text(_find, 2, key));
            var step = raw.sqlite3_step(_find);
            if (step == raw.SQLITE_DONE)
            {
                return null;
            }

            if (step != raw.SQLITE_ROW)
            {
                Check(step);
            }

            return new EntityRecord(type, key,
                raw.sqlite3_column_text(_find, 0).utf8_to_string(),
                raw.sqlite3_column_text(_find, 1).utf8_to_string(),
                raw.sqlite3_column_type(_find, 2) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_find, 2).utf8_to_string(),
                DateTimeOffset.FromUnixTimeMilliseconds(raw.sqlite3_column_int64(_find, 3)),
                raw.sqlite3_column_int64(_find, 4),
                Committed());
        }
        finally
        {
            raw.sqlite3_reset(_find);
        }
    }

    /// <summary>The registration's log entry from columns 5-9; null when the entry or its secret is missing.</summary>
    private CommittedEntry? Committed()
    {
        if (raw.sqlite3_column_type(_find, 5) == raw.SQLITE_NULL)
        {
            return null;
        }

        var record = raw.sqlite3_column_type(_find, 8) == raw.SQLITE_NULL ? null : raw.sqlite3_column_blob(_find, 8).ToArray();
        return new CommittedEntry(
            raw.sqlite3_column_blob(_find, 5).ToArray(),
            new EntryCommitments(raw.sqlite3_column_blob(_find, 6).ToArray(), raw.sqlite3_column_blob(_find, 7).ToArray(), record),
            raw.sqlite3_column_blob(_find, 9).ToArray());
    }

    public IReadOnlyList<AuditEntry> History(EntityType type, string key)
    {
        _history.Parameters[0].Value = type.ToWire();
        _history.Parameters[1].Value = key;
        using var reader = _history.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), (byte[])reader[4],
                new EntryCommitments((byte[])reader[5], (byte[])reader[6], reader.IsDBNull(7) ? null : (byte[])reader[7])));
        }

        return entries;
    }

    public void Dispose()
    {
        DisposeLogStatements();
        DisposeReputationStatements();
        _find.Dispose();
        _history.Dispose();
        _connection.Dispose();
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), result);
        }
    }
}
