using Npgsql;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Postgres;

/// <summary>
/// This node's reputation writes, one transaction each. Every transaction locks the log head first, as every
/// appender does, so the writes of all nodes (reputation and registry alike) take turns: nothing a write reads after
/// that can change until it commits, so it reads plain rows (no FOR UPDATE), decides in memory and writes. This
/// node's writes also take turns in process, so a queued write waits here instead of holding a pooled connection
/// on the row lock, and the log frontier is kept from one write to the next.
/// </summary>
internal sealed class ReputationWriter(NpgsqlDataSource dataSource)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly PostgresLogWriter _log = new();

    public async Task<ReputationTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await _log.BeginAsync(connection, cancellationToken);
            return new ReputationTransaction(connection, transaction, _log, _turn);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _turn.Release();
            throw;
        }
    }
}

/// <summary>
/// One reputation write under the log lock. Disposing it without <see cref="CommitAsync"/> rolls everything back
/// (and drops the frontier if an entry was appended, since that leaf never committed).
/// </summary>
internal sealed class ReputationTransaction : IAsyncDisposable
{
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresLogWriter _log;
    private readonly SemaphoreSlim _turn;
    private bool _appended;
    private bool _committed;

    public ReputationTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresLogWriter log, SemaphoreSlim turn)
    {
        Connection = connection;
        _transaction = transaction;
        _log = log;
        _turn = turn;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>Appends the write's entry; it is written with the write's other statements by <see cref="CommitAsync"/>.</summary>
    public long Append(LogEntryDraft entry)
    {
        _appended = true;
        return _log.Append(entry);
    }

    /// <summary>Runs <paramref name="writes"/> with the appended entries in one round trip, then commits.</summary>
    public async Task CommitAsync(NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        _log.AddTo(writes);
        if (writes.BatchCommands.Count > 0)
        {
            await writes.ExecuteNonQueryAsync(cancellationToken);
        }

        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_appended && !_committed)
            {
                _log.Abandon();
            }

            await _transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            _turn.Release();
        }
    }
}
