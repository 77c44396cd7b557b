using Npgsql;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// This node's only registry writer, a <see cref="GroupCommitQueue{TWrite, TOutcome}"/>: each batch one transaction and
/// one commit, every write in it acknowledged only after that commit returns. The transaction first locks the log
/// head, so batches from all nodes append to the log one after another; it then reads the entities the batch
/// touches, decides every write in memory (<see cref="EntityBatch"/>) and writes the entity changes, the log
/// entries, the subtrees they complete and the new size in one round trip: a batch costs the same few round trips
/// however many writes it holds. A failed batch fails every write in it, abandons the frontier and leaves the loop
/// serving the next batch on a fresh pooled connection (a dead connection is not returned to the pool), so the
/// writer recovers by itself when PostgreSQL comes back.
/// </summary>
internal sealed class PostgresGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLogWriter _log = new();
    private readonly GroupCommitQueue<WriteOp, WriteOutcome> _queue;

    public PostgresGroupCommitWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _queue = new GroupCommitQueue<WriteOp, WriteOutcome>(CommitAsync, MaxBatch);
    }

    public ValueTask<WriteOutcome> SubmitAsync(WriteOp op, CancellationToken cancellationToken) => _queue.SubmitAsync(op, cancellationToken);

    /// <summary>Stops taking writes, commits what is queued, then returns.</summary>
    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task<WriteOutcome[]> CommitAsync(IReadOnlyList<WriteOp> batch)
    {
        var outcomes = new WriteOutcome[batch.Count];
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await _log.BeginAsync(connection);
            var entities = await EntityBatch.ReadAsync(connection, batch.Select(op => op.Entity), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = batch[i].Apply(entities, _log);
            }

            await using (var writes = new NpgsqlBatch(connection))
            {
                entities.AddTo(writes);
                _log.AddTo(writes);
                if (writes.BatchCommands.Count > 0)
                {
                    await writes.ExecuteNonQueryAsync();
                    entities.Verify();
                }
            }

            await transaction.CommitAsync();
            return outcomes;
        }
        catch
        {
            _log.Abandon();
            throw;
        }
    }

    internal abstract class WriteOp : QueuedWrite<WriteOutcome>
    {
        /// <summary>The entity (type, key) the write is about.</summary>
        public abstract (string Type, string Key) Entity { get; }

        public abstract WriteOutcome Apply(EntityBatch entities, PostgresLogWriter log);
    }

    internal sealed class RegisterOp(Registration write) : WriteOp
    {
        public override (string Type, string Key) Entity => (write.Type.ToWire(), write.Key);

        public override WriteOutcome Apply(EntityBatch entities, PostgresLogWriter log) =>
            entities.TryRegister(write, log.NextIndex)
                ? new WriteOutcome(WriteStatus.Done, log.Append(write.Log))
                : new WriteOutcome(WriteStatus.AlreadyRegistered, -1);
    }

    internal sealed class RemoveOp(Removal write) : WriteOp
    {
        public override (string Type, string Key) Entity => (write.Type.ToWire(), write.Key);

        public override WriteOutcome Apply(EntityBatch entities, PostgresLogWriter log) =>
            entities.Remove(write) is var status && status == WriteStatus.Done
                ? new WriteOutcome(WriteStatus.Done, log.Append(write.Log))
                : new WriteOutcome(status, -1);
    }
}
