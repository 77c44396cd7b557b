using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The registry on SQLite. Reads run on pooled connections with prepared statements; writes go through the
/// single <see cref="SqliteGroupCommitWriter"/>.
/// </summary>
public sealed class SqliteRegistryStore : IRegistryStore, IAsyncDisposable
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

    /// <summary>A read connection with its statements prepared once.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _find;
        private readonly SqliteCommand _history;

        public ReadSession(SqliteConnection connection)
        {
            _connection = connection;
            _find = Prepare("""
                SELECT e.value, e.owner, e.attributes, e.registered_at, e.log_index, a.digest
                FROM entities e LEFT JOIN audit_log a ON a.log_index = e.log_index
                WHERE e.type = $type AND e.key = $key
                """);
            _history = Prepare("""
                SELECT log_index, action, actor, at FROM audit_log
                WHERE type = $type AND key = $key ORDER BY log_index
                """);
        }

        public EntityRecord? Find(EntityType type, string key)
        {
            Bind(_find, type, key);
            using var reader = _find.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new EntityRecord(type, key, reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt64(4),
                reader.IsDBNull(5) ? [] : (byte[])reader.GetValue(5));
        }

        public IReadOnlyList<AuditEntry> History(EntityType type, string key)
        {
            Bind(_history, type, key);
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

        private static void Bind(SqliteCommand command, EntityType type, string key)
        {
            command.Parameters[0].Value = type.ToWire();
            command.Parameters[1].Value = key;
        }

        private SqliteCommand Prepare(string sql)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$type", SqliteType.Text);
            command.Parameters.Add("$key", SqliteType.Text);
            command.Prepare();
            return command;
        }
    }
}
