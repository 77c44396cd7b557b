using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The only writer. Writes queue up while the previous transaction commits; each batch runs in one
/// transaction and one fsync, and every write in it is acknowledged only after that commit returns.
/// A failed batch is rolled back whole and every write in it fails, so nothing half-done is acknowledged.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<WriteOp> _queue = Channel.CreateBounded<WriteOp>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteConnection _connection;
    private readonly Statements _sql;
    private readonly Task _loop;

    public SqliteGroupCommitWriter(SqliteDatabase database)
    {
        _connection = database.Open();
        _sql = new Statements(_connection);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public async ValueTask<WriteOutcome> SubmitAsync(WriteOp op, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(op, cancellationToken);
        return await op.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _sql.Dispose();
        await _connection.DisposeAsync();
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

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<WriteOp> batch)
    {
        var outcomes = new WriteOutcome[batch.Count];
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _sql.Enlist(transaction);
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = batch[i].Apply(_sql);
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
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

        public abstract WriteOutcome Apply(Statements sql);
    }

    internal sealed class RegisterOp(Registration write) : WriteOp
    {
        public override WriteOutcome Apply(Statements sql)
        {
            var type = write.Type.ToWire();
            if (sql.FindOwner(type, write.Key) is not null)
            {
                return new WriteOutcome(WriteStatus.AlreadyRegistered, -1);
            }

            var index = sql.AppendAudit(type, write.Key, AuditActions.Register, write.Owner, write.At, write.Digest);
            sql.InsertEntity(write, type, index);
            return new WriteOutcome(WriteStatus.Done, index);
        }
    }

    internal sealed class RemoveOp(Removal write) : WriteOp
    {
        public override WriteOutcome Apply(Statements sql)
        {
            var type = write.Type.ToWire();
            var owner = sql.FindOwner(type, write.Key);
            if (owner is null)
            {
                return new WriteOutcome(WriteStatus.NotFound, -1);
            }

            if (write.RequiredOwner is not null && write.RequiredOwner != owner)
            {
                return new WriteOutcome(WriteStatus.NotOwner, -1);
            }

            var index = sql.AppendAudit(type, write.Key, AuditActions.Remove, write.Actor, write.At, null);
            sql.DeleteEntity(type, write.Key);
            return new WriteOutcome(WriteStatus.Done, index);
        }
    }
}
