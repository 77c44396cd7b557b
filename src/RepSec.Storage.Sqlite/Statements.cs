using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;

namespace RepSec.Storage.Sqlite;

/// <summary>The writer's prepared statements; parameterized only.</summary>
internal sealed class Statements : IDisposable
{
    private readonly SqliteCommand _findOwner;
    private readonly SqliteCommand _insertEntity;
    private readonly SqliteCommand _deleteEntity;
    private readonly SqliteCommand _appendAudit;

    public Statements(SqliteConnection connection)
    {
        _findOwner = Create(connection, "SELECT owner FROM entities WHERE type = $type AND key = $key", "$type", "$key");
        _insertEntity = Create(connection, """
            INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
            VALUES ($type, $key, $value, $owner, $attributes, $at, $index)
            """, "$type", "$key", "$value", "$owner", "$attributes", "$at", "$index");
        _deleteEntity = Create(connection, "DELETE FROM entities WHERE type = $type AND key = $key", "$type", "$key");
        _appendAudit = Create(connection, """
            INSERT INTO audit_log (log_index, type, key, action, actor, at, digest)
            VALUES ((SELECT COALESCE(MAX(log_index) + 1, 0) FROM audit_log), $type, $key, $action, $actor, $at, $digest)
            RETURNING log_index
            """, "$type", "$key", "$action", "$actor", "$at", "$digest");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        _findOwner.Transaction = _insertEntity.Transaction = _deleteEntity.Transaction = _appendAudit.Transaction = transaction;
    }

    public string? FindOwner(string type, string key)
    {
        _findOwner.Parameters[0].Value = type;
        _findOwner.Parameters[1].Value = key;
        return _findOwner.ExecuteScalar() as string;
    }

    public void InsertEntity(Registration write, string type, long index)
    {
        var p = _insertEntity.Parameters;
        p[0].Value = type;
        p[1].Value = write.Key;
        p[2].Value = write.Value;
        p[3].Value = write.Owner;
        p[4].Value = (object?)write.AttributesJson ?? DBNull.Value;
        p[5].Value = write.At.ToUnixTimeMilliseconds();
        p[6].Value = index;
        _insertEntity.ExecuteNonQuery();
    }

    public void DeleteEntity(string type, string key)
    {
        _deleteEntity.Parameters[0].Value = type;
        _deleteEntity.Parameters[1].Value = key;
        _deleteEntity.ExecuteNonQuery();
    }

    public long AppendAudit(string type, string key, string action, string actor, DateTimeOffset at, byte[]? digest)
    {
        var p = _appendAudit.Parameters;
        p[0].Value = type;
        p[1].Value = key;
        p[2].Value = action;
        p[3].Value = actor;
        p[4].Value = at.ToUnixTimeMilliseconds();
        p[5].Value = (object?)digest ?? DBNull.Value;
        return (long)_appendAudit.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _findOwner.Dispose();
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
