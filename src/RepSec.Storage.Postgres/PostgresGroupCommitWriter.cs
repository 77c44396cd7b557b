using System.Threading.Channels;
using Npgsql;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// This node's only registry writer: one loop that drains the queue into batches, each batch one transaction and
/// one commit, every write in it acknowledged only after that commit returns. The transaction first locks the log
/// head, so batches from all nodes append to the log one after another. A failed batch fails every write in it,
/// abandons the frontier and leaves the loop serving the next batch on a fresh pooled connection (a dead
/// connection is not returned to the pool), so the writer recovers by itself when PostgreSQL comes back.
/// </summary>
internal sealed class PostgresGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<WriteOp> _queue = Channel.CreateBounded<WriteOp>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLogWriter _log = new();
    private readonly Task _loop;

    public PostgresGroupCommitWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask<WriteOutcome> SubmitAsync(WriteOp op, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(op, cancellationToken);
        return await op.Completion.Task;
    }

    /// <summary>Stops taking writes, commits what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOp>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var op))
            {
                batch.Add(op);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<WriteOp> batch)
    {
        var outcomes = new WriteOutcome[batch.Count];
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await _log.BeginAsync(connection);
            await using (var sql = new WriteStatements(connection, _log))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    outcomes[i] = await batch[i].ApplyAsync(sql);
                }
            }

            await _log.FlushAsync(connection);
            await transaction.CommitAsync();
        }
        catch (Exception exception)
        {
            _log.Abandon();
            foreach (var op in batch)
            {
                op.Completion.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    internal abstract class WriteOp
    {
        public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public abstract Task<WriteOutcome> ApplyAsync(WriteStatements sql);
    }

    internal sealed class RegisterOp(Registration write) : WriteOp
    {
        public override async Task<WriteOutcome> ApplyAsync(WriteStatements sql)
        {
            if (!await sql.TryInsertEntityAsync(write, write.Type.ToWire(), sql.Log.NextIndex, CancellationToken.None))
            {
                return new WriteOutcome(WriteStatus.AlreadyRegistered, -1);
            }

            return new WriteOutcome(WriteStatus.Done, sql.Log.Append(write.Log));
        }
    }

    internal sealed class RemoveOp(Removal write) : WriteOp
    {
        public override async Task<WriteOutcome> ApplyAsync(WriteStatements sql)
        {
            var type = write.Type.ToWire();
            if (!await sql.TryDeleteEntityAsync(type, write.Key, write.RequiredOwner, CancellationToken.None))
            {
                var exists = await sql.EntityExistsAsync(type, write.Key, CancellationToken.None);
                return new WriteOutcome(exists ? WriteStatus.NotOwner : WriteStatus.NotFound, -1);
            }

            return new WriteOutcome(WriteStatus.Done, sql.Log.Append(write.Log));
        }
    }
}
