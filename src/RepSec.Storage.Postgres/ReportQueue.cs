using System.Threading.Channels;
using RepSec.Core.Reputation;

namespace RepSec.Storage.Postgres;

/// <summary>A report waiting for its batch, with the settings it is stored under and who waits for the outcome.</summary>
internal sealed record QueuedReport(ReportDraft Report, double DefaultTrust, double HalfLifeDays)
{
    public TaskCompletionSource<ReportOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for REPORT, the reputation write that arrives in volume: one loop drains the queued reports into
/// batches, and each batch is stored in one transaction under the log lock (so one commit and a few round trips
/// however many reports it holds). Every report in a batch is answered only after that commit; a failed batch fails
/// every report in it.
/// </summary>
internal sealed class ReportQueue : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<QueuedReport> _queue = Channel.CreateBounded<QueuedReport>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Func<IReadOnlyList<QueuedReport>, Task<ReportOutcome[]>> _store;
    private readonly Task _loop;

    public ReportQueue(Func<IReadOnlyList<QueuedReport>, Task<ReportOutcome[]>> store)
    {
        _store = store;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask<ReportOutcome> SubmitAsync(QueuedReport report, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(report, cancellationToken);
        return await report.Completion.Task;
    }

    /// <summary>Stops taking reports, stores what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<QueuedReport>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // One batch holds reports stored under the same settings (in practice all of them).
            while (batch.Count < MaxBatch && reader.TryPeek(out var next)
                   && (batch.Count == 0 || (next.DefaultTrust == batch[0].DefaultTrust && next.HalfLifeDays == batch[0].HalfLifeDays)))
            {
                reader.TryRead(out _);
                batch.Add(next);
            }

            try
            {
                var outcomes = await _store(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception exception)
            {
                foreach (var report in batch)
                {
                    report.Completion.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }
}
