using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The only writer, on a dedicated thread (commits block on fsync; they must not hold thread-pool threads).
/// Writes queue up while the previous transaction commits; each batch runs in one transaction and one fsync,
/// and every write in it is acknowledged only after that commit returns. A failed batch is rolled back whole
/// and every write in it fails, so nothing half-done is acknowledged.
/// </summary>
internal sealed partial class SqliteGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<WriteOp> _queue = Channel.CreateBounded<WriteOp>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteConnection _connection;
    private readonly Statements _sql;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly EntityIndex _index;

    public SqliteGroupCommitWriter(SqliteDatabase database, EntityIndex index)
    {
        _index = index;
        // SQLite's default page cache (2 MB), not a large one: the file is memory-mapped, so reading a page costs no
        // syscall, while the end of every transaction walks the page cache's whole hash table once it holds many
        // pages (with 128 MB that walk was a sixth of this thread's time; docs/performance.md, "Durable REGISTER").
        _connection = database.Open();
        SqliteDatabase.Execute(_connection, $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.WriterCheckpointPages};");
        _checkpointer = new SqliteCheckpointer(database);
        _sql = new Statements(_connection, index);
        new Thread(Run) { IsBackground = true, Name = "repsec-sqlite-writer" }.Start();
    }

    public async ValueTask<T> SubmitAsync<T>(WriteOp<T> op, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(op, cancellationToken);
        return await op.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
        _checkpointer.Dispose();
        _sql.Dispose();
        await _connection.DisposeAsync();
    }

    private void Run()
    {
        var batch = new List<WriteOp>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var op))
                {
                    batch.Add(op);
                }

                if (batch.Count > 0)
                {
                    Commit(batch);
                    batch.Clear();
                    continue;
                }

                // Idle: block this thread (it is ours) until more work arrives or the queue completes.
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Commit(List<WriteOp> batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _sql.Enlist(transaction);
            _sql.Entities.Clear();
            _sql.Reputation.Begin();
            // Under the write lock the log cannot move: its size is read once per batch.
            _sql.Log.Begin();
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Apply(_sql);
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            _sql.Log.Abandon();
            foreach (var op in batch)
            {
                op.Fail(exception);
            }

            return;
        }

        // In commit order, before any write of the batch is acknowledged.
        foreach (var op in batch)
        {
            op.Committed(_index);
        }

        _sql.Reputation.Committed(_index);

        foreach (var (subjectType, subjectKey, index) in _sql.Log.Appended)
        {
            if (EntityTypes.TryParse(subjectType, out var type))
            {
                _index.AddEntry(type, subjectKey, index);
            }
        }

        foreach (var op in batch)
        {
            op.Complete();
        }
    }

    /// <summary>One queued write: applied inside the batch's transaction, answered only after its commit.</summary>
    internal abstract class WriteOp
    {
        public abstract void Apply(Statements sql);

        /// <summary>Brings the in-memory entities up to the committed change.</summary>
        public virtual void Committed(EntityIndex index)
        {
        }

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    internal abstract class WriteOp<T> : WriteOp
    {
        private T _outcome = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public sealed override void Apply(Statements sql) => _outcome = Run(sql);

        public sealed override void Complete() => Completion.TrySetResult(_outcome);

        public sealed override void Fail(Exception exception) => Completion.TrySetException(exception);

        protected abstract T Run(Statements sql);
    }

    internal sealed class RegisterOp(Registration write) : WriteOp<WriteOutcome>
    {
        private EntityRecord? _record;

        protected override WriteOutcome Run(Statements sql)
        {
            if (sql.Entities.Find(write.Type, write.Key) is not null)
            {
                return new WriteOutcome(WriteStatus.AlreadyRegistered, -1);
            }

            var index = sql.Log.NextIndex;
            sql.InsertEntity(write, write.Type.ToWire(), index);
            sql.Log.Append(write.Log);
            _record = write.Committed(index);
            sql.Entities.Registered(_record);
            return new WriteOutcome(WriteStatus.Done, index);
        }

        public override void Committed(EntityIndex index)
        {
            if (_record is not null)
            {
                index.Set(_record);
            }
        }
    }

    internal sealed class RemoveOp(Removal write) : WriteOp<WriteOutcome>
    {
        private bool _removed;

        protected override WriteOutcome Run(Statements sql)
        {
            if (sql.Entities.Find(write.Type, write.Key) is not { } record)
            {
                return new WriteOutcome(WriteStatus.NotFound, -1);
            }

            if (write.RequiredOwner is { } owner && !string.Equals(record.Owner, owner, StringComparison.Ordinal))
            {
                return new WriteOutcome(WriteStatus.NotOwner, -1);
            }

            sql.DeleteEntity(record.LogIndex);
            sql.Entities.Removed(write.Type, write.Key);
            _removed = true;
            return new WriteOutcome(WriteStatus.Done, sql.Log.Append(write.Log));
        }

        public override void Committed(EntityIndex index)
        {
            if (_removed)
            {
                index.Remove(write.Type, write.Key);
            }
        }
    }
}
