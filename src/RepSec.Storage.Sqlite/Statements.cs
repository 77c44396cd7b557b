using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;

namespace RepSec.Storage.Sqlite;

/// <summary>The writer's prepared statements; parameterized only.</summary>
internal sealed class Statements : IDisposable
{
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _insertEntity;
    private readonly SqliteCommand _deleteEntity;

    public Statements(SqliteConnection connection)
    {
        _exists = Create(connection, "SELECT 1 FROM entities WHERE type = $type AND key = $key", "$type", "$key");
        _insertEntity = Create(connection, """
            INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
            VALUES ($type, $key, $value, $owner, $attributes, $at, $index)
            ON CONFLICT (type, key) DO NOTHING
            """, "$type", "$key", "$value", "$owner", "$attributes", "$at", "$index");
        _deleteEntity = Create(connection,
            "DELETE FROM entities WHERE type = $type AND key = $key AND ($owner IS NULL OR owner = $owner)", "$type", "$key", "$owner");
        Log = new SqliteLogWriter(connection);
        Reputation = new ReputationStatements(connection);
    }

    public SqliteLogWriter Log { get; }

    public ReputationStatements Reputation { get; }

    public void Enlist(SqliteTransaction transaction)
    {
        _exists.Transaction = _insertEntity.Transaction = _deleteEntity.Transaction = transaction;
        Log.Enlist(transaction);
        Reputation.Enlist(transaction);
    }

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

    public void Dispose()
    {
        _exists.Dispose();
        _insertEntity.Dispose();
        _deleteEntity.Dispose();
        Log.Dispose();
        Reputation.Dispose();
    }

    internal static SqliteCommand Create(SqliteConnection connection, string sql, params string[] names)
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
