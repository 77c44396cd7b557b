using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

// The reputation extension's writes, each one transaction with its log entry (IReputationStore).
internal sealed partial class SqliteGroupCommitWriter
{
    internal sealed class ReportOp(ReportDraft report, double defaultTrust, double halfLifeDays) : WriteOp<ReportOutcome>
    {
        protected override ReportOutcome Run(Statements sql)
        {
            var rep = sql.Reputation;
            var type = report.Type.ToWire();
            long? superseded = null;
            if (rep.Latest(report.Reporter, type, report.Key, report.Assertion) is { } latest)
            {
                var retryAt = DateTimeOffset.FromUnixTimeMilliseconds(latest.At) + report.Interval;
                if (report.Interval > TimeSpan.Zero && retryAt > report.At)
                {
                    return new ReportOutcome(ReportStatus.TooSoon, -1, RetryAt: retryAt);
                }

                if (latest.Counted && rep.Report(latest.Id) is { } earlier)
                {
                    // One voice per reporter, entity and assertion: the new report replaces the old.
                    rep.End(earlier.Id, report.At, "superseded", purgeEvidence: false);
                    rep.Apply(StoredReportShare.Of(earlier), -1, report.At, halfLifeDays);
                    superseded = earlier.Id;
                }
            }

            var weight = (rep.Trust(report.Reporter) ?? defaultTrust) * report.Confidence;
            var id = sql.Log.Append(report.Log);
            rep.Insert(report, id, weight);
            rep.Apply(new StoredReportShare(type, report.Key, report.Assertion, weight, report.Rating, report.At), +1, report.At, halfLifeDays);
            rep.Touch(type, report.Key, report.Value, report.At);
            return new ReportOutcome(ReportStatus.Done, id, superseded);
        }
    }

    internal sealed class WithdrawOp(Withdrawal withdrawal, double halfLifeDays) : WriteOp<ReportOutcome>
    {
        protected override ReportOutcome Run(Statements sql)
        {
            var rep = sql.Reputation;
            if (rep.Report(withdrawal.ReportId) is not { } report)
            {
                return new ReportOutcome(ReportStatus.NotFound, -1);
            }

            if (withdrawal.RequiredReporter is { } required && required != report.Reporter)
            {
                return new ReportOutcome(ReportStatus.NotReporter, -1);
            }

            if (report.EndedAt is not null)
            {
                return new ReportOutcome(ReportStatus.AlreadyWithdrawn, -1);
            }

            rep.End(report.Id, withdrawal.At, "withdrawn", purgeEvidence: true);
            rep.Apply(StoredReportShare.Of(report), -1, withdrawal.At, halfLifeDays);
            var index = sql.Log.Append(withdrawal.LogFor(report.Type, report.Key));
            rep.Touch(report.Type.ToWire(), report.Key, report.Value, withdrawal.At);
            return new ReportOutcome(ReportStatus.Done, index);
        }
    }

    internal sealed class AllowlistOp(AllowlistChange change) : WriteOp<ReportOutcome>
    {
        protected override ReportOutcome Run(Statements sql)
        {
            var rep = sql.Reputation;
            if (change.Reason is null)
            {
                if (!rep.Disallow(change))
                {
                    return new ReportOutcome(ReportStatus.NotFound, -1);
                }
            }
            else
            {
                rep.Allow(change);
            }

            var index = sql.Log.Append(change.Log);
            rep.Touch(change.Type.ToWire(), change.Key, change.Value, change.At);
            return new ReportOutcome(ReportStatus.Done, index);
        }
    }

    internal sealed class TrustOp(TrustChange change, double halfLifeDays) : WriteOp<ReportOutcome>
    {
        protected override ReportOutcome Run(Statements sql)
        {
            var rep = sql.Reputation;
            if (!rep.PrincipalExists(change.Principal))
            {
                return new ReportOutcome(ReportStatus.NotFound, -1);
            }

            rep.SetTrust(change);
            foreach (var report in rep.CountedBy(change.Principal))
            {
                var weight = change.Trust * report.Confidence;
                var share = StoredReportShare.Of(report);
                rep.Apply(share, -1, change.At, halfLifeDays);
                rep.Apply(share with { Weight = weight }, +1, change.At, halfLifeDays);
                rep.Reweight(report.Id, weight);
                rep.Touch(share.Type, report.Key, report.Value, change.At);
            }

            return new ReportOutcome(ReportStatus.Done, sql.Log.Append(change.Log));
        }
    }

    /// <summary>One chunk of the sweep: expired reports leave the aggregates; old evidence is purged.</summary>
    internal sealed class SweepOp(DateTimeOffset now, DateTimeOffset? evidenceCutoff, double halfLifeDays) : WriteOp<SweepResult>
    {
        protected override SweepResult Run(Statements sql)
        {
            var rep = sql.Reputation;
            var expired = rep.Expired(now);
            foreach (var report in expired)
            {
                rep.End(report.Id, now, "expired", purgeEvidence: false);
                rep.Apply(StoredReportShare.Of(report), -1, now, halfLifeDays);
                rep.Touch(report.Type.ToWire(), report.Key, report.Value, now);
            }

            return new SweepResult(expired.Count, evidenceCutoff is { } cutoff ? rep.PurgeEvidence(cutoff) : 0);
        }
    }
}
