using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;

namespace RepSec.Storage.Sqlite;

/// <summary>The writer's prepared statements; parameterized only.</summary>
internal sealed class Statements : IDisposable
{
    private readonly SqliteCommand _nextIndex;
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _insertEntity;
    private readonly SqliteCommand _deleteEntity;
    private readonly SqliteCommand _appendAudit;

    public Statements(SqliteConnection connection)
    {
        _nextIndex = Create(connection, "SELECT COALESCE(MAX(log_index) + 1, 0) FROM audit_log");
        _exists = Create(connection, "SELECT 1 FROM entities WHERE type = $type AND key = $key", "$type", "$key");
        _insertEntity = Create(connection, """
            INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
            VALUES ($type, $key, $value, $owner, $attributes, $at, $index)
            ON CONFLICT (type, key) DO NOTHING
            """, "$type", "$key", "$value", "$owner", "$attributes", "$at", "$index");
        _deleteEntity = Create(connection,
            "DELETE FROM entities WHERE type = $type AND key = $key AND ($owner IS NULL OR owner = $owner)", "$type", "$key", "$owner");
        _appendAudit = Create(connection, """
            INSERT INTO audit_log (log_index, type, key, action, actor, at, digest)
            VALUES ($index, $type, $key, $action, $actor, $at, $digest)
            """, "$index", "$type", "$key", "$action", "$actor", "$at", "$digest");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        _nextIndex.Transaction = _exists.Transaction = _insertEntity.Transaction = _deleteEntity.Transaction = _appendAudit.Transaction = transaction;
    }

    public long NextLogIndex() => (long)_nextIndex.ExecuteScalar()!;

    public bool EntityExists(string type, string key)
    {
        _exists.Parameters[0].Value = type;
        _exists.Parameters[1].Value = key;
        return _exists.ExecuteScalar() is not null;
    }

    /// <summary>Inserts the entity; false when it is already registered.</summary>
    public bool TryInsertEntity(Registration write, string type, long index)
    {
        var p = _insertEntity.Parameters;
        p[0].Value = type;
        p[1].Value = write.Key;
        p[2].Value = write.Value;
        p[3].Value = write.Owner;
        p[4].Value = (object?)write.AttributesJson ?? DBNull.Value;
        p[5].Value = write.At.ToUnixTimeMilliseconds();
        p[6].Value = index;
        return _insertEntity.ExecuteNonQuery() == 1;
    }

    /// <summary>Deletes the entity if it exists and (when given) belongs to <paramref name="requiredOwner"/>.</summary>
    public bool TryDeleteEntity(string type, string key, string? requiredOwner)
    {
        var p = _deleteEntity.Parameters;
        p[0].Value = type;
        p[1].Value = key;
        p[2].Value = (object?)requiredOwner ?? DBNull.Value;
        return _deleteEntity.ExecuteNonQuery() == 1;
    }

    public void AppendAudit(long index, string type, string key, string action, string actor, DateTimeOffset at, byte[]? digest)
    {
        var p = _appendAudit.Parameters;
        p[0].Value = index;
        p[1].Value = type;
        p[2].Value = key;
        p[3].Value = action;
        p[4].Value = actor;
        p[5].Value = at.ToUnixTimeMilliseconds();
        p[6].Value = (object?)digest ?? DBNull.Value;
        _appendAudit.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _nextIndex.Dispose();
        _exists.Dispose();
        _insertEntity.Dispose();
        _deleteEntity.Dispose();
        _appendAudit.Dispose();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }
}
