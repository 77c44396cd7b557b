using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Reputation;

namespace RepSec.Server.Reputation;

/// <summary>
/// Keeps the in-memory <see cref="ReputationTable"/> current: reads the whole change feed once at start, then what
/// follows every <c>RepSec:Reputation:TableRefreshMilliseconds</c>. On several nodes each follows the shared feed.
/// </summary>
internal sealed partial class ReputationTableRefresher(
    ReputationTable table, IOptions<RepSecOptions> options, TimeProvider time, ILogger<ReputationTableRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reputation = options.Value.Reputation;
        if (!reputation.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(reputation.TableRefreshMilliseconds), time);
        var failing = false;
        do
        {
            try
            {
                var wasLoaded = table.Loaded;
                await table.RefreshAsync(stoppingToken);
                if (!wasLoaded)
                {
                    LogLoaded(logger, table.Count);
                }

                failing = false;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                if (!failing)
                {
                    // Once per outage, not once per tick.
                    LogRefreshFailed(logger, exception);
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Reputation table loaded: {Entities} entities with reputation state")]
    private static partial void LogLoaded(ILogger logger, int entities);

    [LoggerMessage(EventId = 521, Level = LogLevel.Error, Message = "Reading the reputation change feed failed; the DNSBL, blocklists and decisions serve what they had, and reading is retried")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
