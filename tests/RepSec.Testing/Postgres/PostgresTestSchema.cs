using System.Security.Cryptography;
using Npgsql;

namespace RepSec.Testing.Postgres;

/// <summary>
/// A fresh schema on the PostgreSQL that <c>REPSEC_TEST_POSTGRES</c> names, dropped (with everything in it) on
/// disposal. Without the variable, creating one skips the test.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    public const string Variable = "REPSEC_TEST_POSTGRES";

    public const string SkipReason = "REPSEC_TEST_POSTGRES is not set: PostgreSQL tests skipped (see README, 'Running the PostgreSQL and Redis tests')";

    private readonly string _server;

    private PostgresTestSchema(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ToString();
    }

    public string Name { get; }

    /// <summary>The server's connection string with this schema as the search path.</summary>
    public string ConnectionString { get; }

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;

    public static async Task<PostgresTestSchema> CreateAsync()
    {
        Skip.If(Server is null, SkipReason);
        var schema = new PostgresTestSchema(Server!, "test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        // The name is ours (hex digits), so it is safe to put in the statement.
        await schema.ExecuteAsync($"CREATE SCHEMA {schema.Name}");
        return schema;
    }

    /// <summary>
    /// A new schema and what <paramref name="open"/> opens on it. If opening fails the schema is dropped at once:
    /// xUnit does not dispose a test class whose initialization failed.
    /// </summary>
    public static async Task<(PostgresTestSchema Schema, T Opened)> CreateAsync<T>(Func<string, T> open)
    {
        var schema = await CreateAsync();
        try
        {
            return (schema, open(schema.ConnectionString));
        }
        catch
        {
            await schema.DisposeAsync();
            throw;
        }
    }

    /// <summary>This schema's connection string pointed at another host and port (a relay in front of the server).</summary>
    public string ConnectionStringVia(string host, int port, int timeoutSeconds) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Host = host, Port = port, Timeout = timeoutSeconds, CommandTimeout = timeoutSeconds * 3 }.ToString();

    /// <summary>Runs one statement in this schema, behind the stores' backs; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_server);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
