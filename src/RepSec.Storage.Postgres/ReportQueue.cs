using RepSec.Core.Reputation;

namespace RepSec.Storage.Postgres;

/// <summary>
/// A report waiting for its batch, with the settings it is stored under. REPORT is the reputation write that arrives
/// in volume, so reports are group-committed (<see cref="GroupCommitQueue{TWrite, TOutcome}"/>): each batch, of
/// reports stored under the same settings (in practice all of them), is one transaction under the log lock.
/// </summary>
internal sealed class QueuedReport(ReportDraft report, double defaultTrust, double halfLifeDays) : QueuedWrite<ReportOutcome>
{
    public const int MaxBatch = 256;

    public ReportDraft Report { get; } = report;

    public double DefaultTrust { get; } = defaultTrust;

    public double HalfLifeDays { get; } = halfLifeDays;

    public static bool Together(QueuedReport first, QueuedReport next) =>
        next.DefaultTrust == first.DefaultTrust && next.HalfLifeDays == first.HalfLifeDays;
}
