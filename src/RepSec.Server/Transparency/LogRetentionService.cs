using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Transparency;

namespace RepSec.Server.Transparency;

/// <summary>
/// Purges the personal data of log entries past <c>RepSec:Log:RetentionDays</c>, at start and then every
/// <c>PurgeIntervalMinutes</c>. Commitments and leaves stay, so every proof still verifies.
/// </summary>
internal sealed partial class LogRetentionService(
    ITransparencyLogStore store, IOptions<RepSecOptions> options, TimeProvider time, ILogger<LogRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var log = options.Value.Log;
        if (log.RetentionDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(log.PurgeIntervalMinutes), time);
        do
        {
            try
            {
                var purged = await store.PurgeAsync(time.GetUtcNow() - TimeSpan.FromDays(log.RetentionDays), stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, purged, log.RetentionDays);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPurgeFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Purged the personal data of {Count} log entries older than {Days} days; their leaves stay")]
    private static partial void LogPurged(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Purging old log entries failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
