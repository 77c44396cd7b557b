using RepSec.Testing.Postgres;

namespace RepSec.Storage.Postgres.Tests;

/// <summary>
/// A throwaway schema and the data sources a test opens on it: the first, and any later one standing for a
/// restarted node. Disposing closes them all, then drops the schema.
/// </summary>
internal sealed class ThrowawayDatabase : IAsyncDisposable
{
    private readonly List<PostgresDatabase> _opened = [];
    private PostgresTestSchema? _schema;

    /// <summary>A new data source on the schema, which the first call creates (or skips the test without PostgreSQL).</summary>
    public async Task<PostgresDatabase> OpenAsync()
    {
        PostgresDatabase database;
        if (_schema is null)
        {
            (_schema, database) = await PostgresTestSchema.CreateAsync(connectionString => new PostgresDatabase(connectionString));
        }
        else
        {
            database = new PostgresDatabase(_schema.ConnectionString);
        }

        _opened.Add(database);
        return database;
    }

    /// <summary>Runs a statement on the schema behind the store's back (after the first <see cref="OpenAsync"/>).</summary>
    public Task<int> ExecuteAsync(string sql) =>
        (_schema ?? throw new InvalidOperationException("nothing opened yet")).ExecuteAsync(sql);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
