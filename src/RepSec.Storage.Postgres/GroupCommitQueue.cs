using System.Threading.Channels;

namespace RepSec.Storage.Postgres;

/// <summary>A write waiting in a <see cref="GroupCommitQueue{TWrite, TOutcome}"/>, and who waits for its outcome.</summary>
internal abstract class QueuedWrite<TOutcome>
{
    public TaskCompletionSource<TOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit: one loop drains the queued writes into batches and hands each batch to one commit, which returns
/// every write's outcome. A write is answered only after its batch's commit returns; a commit that throws fails
/// every write in its batch, and the loop goes on with the next.
/// </summary>
internal sealed class GroupCommitQueue<TWrite, TOutcome> : IAsyncDisposable
    where TWrite : QueuedWrite<TOutcome>
{
    private readonly Channel<TWrite> _queue = Channel.CreateBounded<TWrite>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Func<IReadOnlyList<TWrite>, Task<TOutcome[]>> _commit;
    private readonly int _maxBatch;
    private readonly Func<TWrite, TWrite, bool> _together;
    private readonly Task _loop;

    /// <param name="commit">Commits a batch and returns each write's outcome, in order.</param>
    /// <param name="maxBatch">Writes in one batch at most.</param>
    /// <param name="together">Whether a write may join a batch, given the batch's first; any write, when omitted.</param>
    public GroupCommitQueue(Func<IReadOnlyList<TWrite>, Task<TOutcome[]>> commit, int maxBatch, Func<TWrite, TWrite, bool>? together = null)
    {
        _commit = commit;
        _maxBatch = maxBatch;
        _together = together ?? ((_, _) => true);
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask<TOutcome> SubmitAsync(TWrite write, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(write, cancellationToken);
        return await write.Completion.Task;
    }

    /// <summary>Stops taking writes, commits what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<TWrite>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryPeek(out var next) && (batch.Count == 0 || _together(batch[0], next)))
            {
                reader.TryRead(out _);
                batch.Add(next);
            }

            try
            {
                var outcomes = await _commit(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception exception)
            {
                foreach (var write in batch)
                {
                    write.Completion.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }
}
