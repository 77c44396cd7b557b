using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;

namespace RepSec.Storage.Sqlite;

/// <summary>The writer's prepared statements; parameterized only.</summary>
internal sealed class Statements : IDisposable
{
    private readonly SqliteCommand _insertEntity;
    private readonly SqliteCommand _deleteEntity;

    public Statements(SqliteConnection connection, EntityIndex index)
    {
        // Rows are keyed by the entry that registered them, so a registration appends: whether a name is taken is
        // the writer's in-memory decision (Entities), not a unique index's.
        _insertEntity = Create(connection, """
            INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
            VALUES ($type, $key, $value, $owner, $attributes, $at, $index)
            """, "$type", "$key", "$value", "$owner", "$attributes", "$at", "$index");
        _deleteEntity = Create(connection, "DELETE FROM entities WHERE log_index = $index", "$index");
        Entities = new BatchEntities(index);
        Log = new SqliteLogWriter(connection);
        Reputation = new ReputationStatements(connection);
    }

    /// <summary>The registered entities as the open transaction leaves them.</summary>
    public BatchEntities Entities { get; }

    public SqliteLogWriter Log { get; }

    public ReputationStatements Reputation { get; }

    public void Enlist(SqliteTransaction transaction)
    {
        _insertEntity.Transaction = _deleteEntity.Transaction = transaction;
        Log.Enlist(transaction);
        Reputation.Enlist(transaction);
    }

    /// <summary>Inserts the row of a registration the caller found free.</summary>
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

    /// <summary>Deletes the row of the registration made by log entry <paramref name="logIndex"/>.</summary>
    public void DeleteEntity(long logIndex)
    {
        _deleteEntity.Parameters[0].Value = logIndex;
        _deleteEntity.ExecuteNonQuery();
    }

    public void Dispose()
    {
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
