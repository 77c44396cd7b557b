using Microsoft.Data.Sqlite;
using SQLitePCL;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The registry on SQLite. Reads run on pooled connections with prepared statements; writes go through the
/// single <see cref="SqliteGroupCommitWriter"/>.
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryStore, IAsyncDisposable
{

    private readonly SqliteDatabase _database;
    private readonly SqliteGroupCommitWriter _writer;
    // Idle read sessions in slots taken and returned with one interlocked operation each (no lock on the read path).
    private readonly ReadSession?[] _readers = new ReadSession?[Math.Max(8, Environment.ProcessorCount * 4)];

    public SqliteRegistryStore(SqliteDatabase database)
    {
        _database = database;
        _writer = new SqliteGroupCommitWriter(database);
    }

    public ValueTask<EntityRecord?> FindAsync(EntityType type, string key, CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult(session.Find(type, key));
        }
        finally
        {
            Return(session);
        }
    }

    public ValueTask<IReadOnlyList<AuditEntry>> GetHistoryAsync(EntityType type, string key, CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult(session.History(type, key));
        }
        finally
        {
            Return(session);
        }
    }

    public ValueTask<WriteOutcome> RegisterAsync(Registration registration, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.RegisterOp(registration), cancellationToken);

    public ValueTask<WriteOutcome> RemoveAsync(Removal removal, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.RemoveOp(removal), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        for (var i = 0; i < _readers.Length; i++)
        {
            Interlocked.Exchange(ref _readers[i], null)?.Dispose();
        }
    }

    private ReadSession Rent()
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            if (Interlocked.Exchange(ref _readers[i], null) is { } session)
            {
                return session;
            }
        }

        return new ReadSession(_database.Open());
    }

    private void Return(ReadSession session)
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _readers[i], session, null) is null)
            {
                return;
            }
        }

        session.Dispose();
    }

    /// <summary>
    /// A read connection with its statements prepared once. The entity lookup (every VERIFY) runs on the raw
    /// SQLite statement: binding, stepping and reading columns without the ADO.NET reader objects around them.
    /// </summary>
    private sealed class ReadSession : IDisposable
    {
        private const string FindSql = """
            SELECT e.value, e.owner, e.attributes, e.registered_at, e.log_index, a.digest
            FROM entities e LEFT JOIN audit_log a ON a.log_index = e.log_index
            WHERE e.type = ?1 AND e.key = ?2
            """;

        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _find;
        private readonly SqliteCommand _history;

        public ReadSession(SqliteConnection connection)
        {
            _connection = connection;
            Check(raw.sqlite3_prepare_v2(connection.Handle, FindSql, out _find));
            _history = connection.CreateCommand();
            _history.CommandText = """
                SELECT log_index, action, actor, at FROM audit_log
                WHERE type = $type AND key = $key ORDER BY log_index
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
                    raw.sqlite3_column_blob(_find, 5).ToArray());
            }
            finally
            {
                raw.sqlite3_reset(_find);
            }
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
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return entries;
        }

        public void Dispose()
        {
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
}
