namespace RepSec.Storage.Postgres;

/// <summary>
/// Which signing key the shared log's checkpoints are signed with. Every node signs checkpoints itself, so every
/// node must hold the same key; the database remembers the first node's verifier key to hold the others to it.
/// </summary>
public static class PostgresLogKey
{
    /// <summary>Records <paramref name="verifierKey"/> if no node has yet; returns the key the log is signed with.</summary>
    public static async Task<string> ClaimAsync(PostgresDatabase database, string verifierKey, CancellationToken cancellationToken = default)
    {
        await using (var claim = database.DataSource.CreateCommand("INSERT INTO log_key (id, verifier_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"))
        {
            claim.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = verifierKey });
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = database.DataSource.CreateCommand("SELECT verifier_key FROM log_key WHERE id = 1");
        return (string)(await read.ExecuteScalarAsync(cancellationToken))!;
    }
}
