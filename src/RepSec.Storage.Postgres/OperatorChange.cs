using Npgsql;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>
/// One operator action's transaction: it locks the log head before anything else (as every appender does, so the
/// action's entry joins the one sequence all nodes append to), runs the change, and commits the change together
/// with its log entry. Disposing without committing rolls everything back.
/// </summary>
internal sealed class OperatorChange : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresLogWriter _log = new();

    private OperatorChange(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<OperatorChange> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var change = new OperatorChange(connection, await connection.BeginTransactionAsync(cancellationToken));
            await change._log.BeginAsync(connection, cancellationToken);
            return change;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>Appends the operator's action on <paramref name="principal"/>; the entry commits with the change.</summary>
    public void Log(string action, DateTimeOffset at, string principal, string details) =>
        _log.Append(LogEntryDraft.ForOperator(action, at, principal, details));

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _log.FlushAsync(_connection, cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
