using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The reputation extension on the registry's database: writes through the group-commit writer; an entity's reputation
/// and the norms from <see cref="EntityIndex"/> (no database read), reports, the change feed and trust on read sessions.
/// </summary>
public sealed partial class SqliteRegistryStore : IReputationStore
{
    public ValueTask<ReportOutcome> ReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.ReportOp(report, defaultTrust, halfLifeDays), cancellationToken);

    public ValueTask<ReportOutcome> WithdrawAsync(Withdrawal withdrawal, double halfLifeDays, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.WithdrawOp(withdrawal, halfLifeDays), cancellationToken);

    public ValueTask<ReportOutcome> SetAllowlistAsync(AllowlistChange change, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.AllowlistOp(change), cancellationToken);

    public ValueTask<ReportOutcome> SetTrustAsync(TrustChange change, double halfLifeDays, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.TrustOp(change, halfLifeDays), cancellationToken);

    /// <summary>Sweeps in chunks of at most 1000 expired reports, each its own transaction, so writers wait at most one chunk.</summary>
    public async ValueTask<SweepResult> SweepAsync(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays, CancellationToken cancellationToken = default)
    {
        var total = new SweepResult(0, 0);
        while (true)
        {
            var chunk = await _writer.SubmitAsync(new SqliteGroupCommitWriter.SweepOp(now, total.EvidencePurged == 0 ? evidenceCutoff : null, halfLifeDays), cancellationToken);
            total = new SweepResult(total.Expired + chunk.Expired, total.EvidencePurged + chunk.EvidencePurged);
            if (chunk.Expired < 1000)
            {
                return total;
            }
        }
    }

    public ValueTask<EntityReputation> GetAsync(CanonicalEntity entity, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_index.Reputation(entity));

    public ValueTask<IReadOnlyDictionary<string, ReputationAggregate>> GetNormsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_index.Norms);

    public ValueTask<IReadOnlyList<StoredReport>> GetReportsAsync(EntityType type, string key, int limit, CancellationToken cancellationToken = default) =>
        Read(session => session.Reports(type, key, limit));

    public ValueTask<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken = default) =>
        Read(session => session.Report(id));

    public ValueTask<IReadOnlyList<ReputationChange>> GetChangesAsync(long after, int limit, CancellationToken cancellationToken = default) =>
        Read(session => session.Changes(after, limit));

    public ValueTask<IReadOnlyDictionary<string, double>> GetTrustAsync(CancellationToken cancellationToken = default) =>
        Read(session => session.TrustLevels());

    private ValueTask<T> Read<T>(Func<SqliteReadSession, T> read)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult(read(session));
        }
        finally
        {
            Return(session);
        }
    }
}
