using Npgsql;
using NpgsqlTypes;
using RepSec.Core.Registry;

namespace RepSec.Storage.Postgres;

/// <summary>The writer's entity statements on one connection, reused through a batch; parameterized only.</summary>
internal sealed class WriteStatements : IAsyncDisposable
{
    private readonly NpgsqlCommand _exists;
    private readonly NpgsqlCommand _insertEntity;
    private readonly NpgsqlCommand _deleteEntity;

    public WriteStatements(NpgsqlConnection connection, PostgresLogWriter log)
    {
        Log = log;
        _exists = Command(connection, "SELECT 1 FROM entities WHERE type = $1 AND key = $2", NpgsqlDbType.Text, NpgsqlDbType.Text);
        _insertEntity = Command(connection, """
            INSERT INTO entities (type, key, value, owner, attributes, registered_at, log_index)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (type, key) DO NOTHING
            """, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint);
        _deleteEntity = Command(connection, "DELETE FROM entities WHERE type = $1 AND key = $2 AND ($3 IS NULL OR owner = $3)",
            NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text);
    }

    public PostgresLogWriter Log { get; }

    public async Task<bool> EntityExistsAsync(string type, string key, CancellationToken cancellationToken)
    {
        _exists.Parameters[0].Value = type;
        _exists.Parameters[1].Value = key;
        return await _exists.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Inserts the entity; false when it is already registered.</summary>
    public async Task<bool> TryInsertEntityAsync(Registration write, string type, long index, CancellationToken cancellationToken)
    {
        var p = _insertEntity.Parameters;
        p[0].Value = type;
        p[1].Value = write.Key;
        p[2].Value = write.Value;
        p[3].Value = write.Owner;
        p[4].Value = (object?)write.AttributesJson ?? DBNull.Value;
        p[5].Value = write.At.ToUnixTimeMilliseconds();
        p[6].Value = index;
        return await _insertEntity.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes the entity if it exists and (when given) belongs to <paramref name="requiredOwner"/>.</summary>
    public async Task<bool> TryDeleteEntityAsync(string type, string key, string? requiredOwner, CancellationToken cancellationToken)
    {
        var p = _deleteEntity.Parameters;
        p[0].Value = type;
        p[1].Value = key;
        p[2].Value = (object?)requiredOwner ?? DBNull.Value;
        return await _deleteEntity.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _exists.DisposeAsync();
        await _insertEntity.DisposeAsync();
        await _deleteEntity.DisposeAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlDbType[] types)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var type in types)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        }

        return command;
    }
}
