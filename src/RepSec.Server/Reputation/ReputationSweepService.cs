using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Reputation;

namespace RepSec.Server.Reputation;

/// <summary>
/// Every <c>RepSec:Reputation:SweepIntervalSeconds</c>: takes expired reports out of the aggregates (moving their
/// entities in the change feed) and purges evidence older than <c>EvidenceRetentionDays</c>. On several nodes
/// each sweeps; the store serializes them, so a report expires once.
/// </summary>
internal sealed partial class ReputationSweepService(
    IReputationStore store, IOptions<RepSecOptions> options, TimeProvider time, ILogger<ReputationSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reputation = options.Value.Reputation;
        if (!reputation.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(reputation.SweepIntervalSeconds), time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                DateTimeOffset? cutoff = reputation.EvidenceRetentionDays == 0 ? null : now - TimeSpan.FromDays(reputation.EvidenceRetentionDays);
                var swept = await store.SweepAsync(now, cutoff, reputation.HalfLifeDays, stoppingToken);
                if (swept.Expired > 0 || swept.EvidencePurged > 0)
                {
                    LogSwept(logger, swept.Expired, swept.EvidencePurged);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "{Expired} expired reports left the aggregates; evidence of {Purged} reports purged")]
    private static partial void LogSwept(ILogger logger, int expired, int purged);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "Sweeping expired reports failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
