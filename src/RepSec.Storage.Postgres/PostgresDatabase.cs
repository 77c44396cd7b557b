using System.Globalization;
using Npgsql;

namespace RepSec.Storage.Postgres;

/// <summary>
/// One PostgreSQL database (or one schema of it) shared by every repsecd node: a pooled data source built once.
/// Creating it migrates the schema inside one transaction holding a transaction-scoped advisory lock, so nodes
/// starting together migrate one at a time. Tables live in the connection's current schema, so
/// <c>Search Path=...</c> in the connection string picks (and isolates) an instance.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>"RepSec" in ASCII, then 1: the advisory lock every node's migration takes.</summary>
    internal const long MigrationLock = 0x5265_7053_6563_0001;

    /// <summary>Statements each pooled connection keeps prepared when the connection string does not say.</summary>
    private const int DefaultMaxAutoPrepare = 64;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects and migrates the schema. The connection string is never echoed in exceptions or logs.</summary>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The parser's inner exceptions quote values; its own message names only the keyword.
            throw new ArgumentException($"the PostgreSQL connection string is not valid: {exception.Message}", nameof(connectionString));
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        builder.ApplicationName ??= "repsecd";
        _dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            SchemaVersion = Migrate();
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Where a connection string points (host, port, database, schema), for messages: never its password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}{(builder.SearchPath is { Length: > 0 } schema ? $" (schema {schema})" : "")}";
    }

    /// <summary>The schema version the database is at (this code's latest).</summary>
    public int SchemaVersion { get; }

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Runs <c>SELECT 1</c> on a pooled connection; throws when PostgreSQL cannot be reached.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    private int Migrate()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        // Held until this transaction ends: a node starting meanwhile waits here, then finds the schema current.
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock.ToString(CultureInfo.InvariantCulture)})");
        var versioned = Scalar(connection, "SELECT to_regclass('repsec_schema') IS NOT NULL") is true;
        var current = versioned ? Scalar(connection, "SELECT max(version) FROM repsec_schema") as int? ?? 0 : 0;
        var latest = PostgresSchema.Migrations.Length;
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"the PostgreSQL schema '{Scalar(connection, "SELECT current_schema()")}' has RepSec schema version {current}, newer than this repsecd supports ({latest}); upgrade repsecd");
        }

        // A current schema needs no DDL, so nodes may run as a role that can only read and write the tables.
        if (current < latest)
        {
            if (!versioned)
            {
                Execute(connection, PostgresSchema.VersionTable);
            }

            for (var next = current; next < latest; next++)
            {
                Execute(connection, PostgresSchema.Migrations[next]);
            }

            using var record = new NpgsqlCommand("UPDATE repsec_schema SET version = $1", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = latest });
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return latest;
    }

    private static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
