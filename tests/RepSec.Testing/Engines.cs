namespace RepSec.Testing;

/// <summary>
/// The PostgreSQL and Redis the cluster tests use, named by environment variables (CI sets both; locally,
/// <c>eval "$(bash scripts/test-services.sh start)"</c> does). Without them those tests are skipped, saying why.
/// </summary>
public static class Engines
{
    public const string PostgresVariable = "REPSEC_TEST_POSTGRES";
    public const string RedisVariable = "REPSEC_TEST_REDIS";

    public static string? Postgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    public static string? Redis => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Skips the calling test when Redis is not configured, and returns its configuration.</summary>
    public static string RequireRedis()
    {
        Skip.If(Redis is null, $"{RedisVariable} is not set: Redis tests skipped (see README, 'Running the PostgreSQL and Redis tests')");
        return Redis!;
    }

    /// <summary>Skips the calling test when PostgreSQL is not configured, and returns its connection string.</summary>
    public static string RequirePostgres()
    {
        Skip.If(Postgres is null, $"{PostgresVariable} is not set: PostgreSQL tests skipped (see README, 'Running the PostgreSQL and Redis tests')");
        return Postgres!;
    }

    /// <summary>Runs one statement on the configured PostgreSQL, such as a test's own <c>CREATE SCHEMA</c> or <c>DROP SCHEMA</c>.</summary>
    public static async Task ExecutePostgresAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(RequirePostgres());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A key prefix of its own, so tests sharing one Redis never see each other's buckets and nonces.</summary>
    public static string UniquePrefix() => $"repsec-test:{Guid.NewGuid():N}:";
}
