using RepSec.Protocol.Entities;

namespace RepSec.Core.Reputation;

/// <summary>
/// Reports, their maintained aggregates, the allowlist, reporter trust and the change feed. Every write is one
/// transaction with its log entry (as <see cref="Registry.IRegistryStore"/> writes are), returns only once durable,
/// applies <see cref="ReputationAggregate"/> to the affected aggregate rows (the entity's and the assertion's
/// norm), and moves each affected entity to the end of the change feed. Change sequence numbers increase in commit
/// order, so a reader never sees a later one before an earlier one has committed.
/// </summary>
public interface IReputationStore
{
    /// <summary>
    /// Stores a report weighted by the reporter's trust (<paramref name="defaultTrust"/> when none is set) times its
    /// confidence, superseding the reporter's counted report of the same entity and assertion.
    /// </summary>
    ValueTask<ReportOutcome> ReportAsync(ReportDraft report, double defaultTrust, double halfLifeDays, CancellationToken cancellationToken = default);

    /// <summary>Withdraws a counted report (its evidence is purged); <see cref="ReportStatus.NotReporter"/> when another principal made it.</summary>
    ValueTask<ReportOutcome> WithdrawAsync(Withdrawal withdrawal, double halfLifeDays, CancellationToken cancellationToken = default);

    /// <summary>Adds or removes an allowlist entry; <see cref="ReportStatus.NotFound"/> when removing one that does not exist.</summary>
    ValueTask<ReportOutcome> SetAllowlistAsync(AllowlistChange change, CancellationToken cancellationToken = default);

    /// <summary>Sets a reporter's trust and reweights their counted reports; <see cref="ReportStatus.NotFound"/> for an unknown principal.</summary>
    ValueTask<ReportOutcome> SetTrustAsync(TrustChange change, double halfLifeDays, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes reports expired by <paramref name="now"/> out of the aggregates, and purges the evidence of reports
    /// made before <paramref name="evidenceCutoff"/> (null: keep evidence).
    /// </summary>
    ValueTask<SweepResult> SweepAsync(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays, CancellationToken cancellationToken = default);

    /// <summary>The entity's aggregates and allowlist entry; empty, never null, when there is nothing. O(assertions), not O(reports).</summary>
    ValueTask<EntityReputation> GetAsync(CanonicalEntity entity, CancellationToken cancellationToken = default);

    /// <summary>The aggregate over all counted reports of each assertion (for <c>normal-rating</c>).</summary>
    ValueTask<IReadOnlyDictionary<string, ReputationAggregate>> GetNormsAsync(CancellationToken cancellationToken = default);

    /// <summary>The entity's counted reports, newest first, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<StoredReport>> GetReportsAsync(EntityType type, string key, int limit, CancellationToken cancellationToken = default);

    /// <summary>One report by id (counted or not), or null.</summary>
    ValueTask<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Entities whose reputation changed after feed position <paramref name="after"/>, oldest change first, each once, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<ReputationChange>> GetChangesAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The trust levels the operator has set, by principal.</summary>
    ValueTask<IReadOnlyDictionary<string, double>> GetTrustAsync(CancellationToken cancellationToken = default);
}
