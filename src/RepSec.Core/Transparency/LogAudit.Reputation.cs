using System.Text.Json;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Core.Transparency;

// The reputation extension's state: reports, how each ended, their weights, the aggregates, allowlist and trust.
public sealed partial class LogAudit
{
    private const string Withdrawn = "withdrawn";
    private const string Superseded = "superseded";
    private const string Expired = "expired";

    /// <summary>How far apart the reports one group commit writes may be made.</summary>
    private static readonly TimeSpan GroupCommitSpread = TimeSpan.FromSeconds(10);

    private long CheckReputation()
    {
        var trust = CheckTrust();
        CheckAllowlist();
        var reports = _state.Reports().OrderBy(row => row.Id).ToList();
        var proven = new List<ReportRow>(reports.Count);
        foreach (var row in reports)
        {
            if (CheckReport(row))
            {
                proven.Add(row);
            }
        }

        var stored = reports.Select(row => row.Id).ToHashSet();
        foreach (var index in _reportEntries.Where(index => !stored.Contains(index)).Order())
        {
            Problem($"report {index} was recorded by log entry {index} but has no row");
        }

        CheckEndings(proven);
        var counted = proven.Where(row => row.Ended is null).ToList();
        foreach (var row in counted)
        {
            var expected = (trust.TryGetValue(row.Reporter, out var level) ? level : _reputation.DefaultTrust) * row.Confidence;
            if (!Close(row.Weight, expected))
            {
                Problem($"report {row.Id} weighs {Invariant(row.Weight)}, but its reporter {row.Reporter}'s trust and its confidence give {Invariant(expected)}");
            }
        }

        CheckAggregates(counted);
        CheckFeed(proven);
        return reports.Count;
    }

    /// <summary>
    /// Every entity whose reputation an entry changed is in the CHANGES feed, as of one of the moments the log and
    /// the proven reports account for: an entry about it, a report of it that ended (withdrawn, expired), a trust
    /// change of a reporter whose report of it counted then, or (PostgreSQL commits concurrent reports together and
    /// stamps the batch with its latest report's time) another report made within <see cref="GroupCommitSpread"/>
    /// after one of its own. Moments older than the newest purged entry cannot be accounted for and are taken as they
    /// are. The order of the sequence numbers is not proven.
    /// </summary>
    private void CheckFeed(List<ReportRow> proven)
    {
        var bySubject = proven.ToLookup(row => LogCommitment.SubjectOf(row.Type, row.Key), StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _state.Feed())
        {
            var subject = LogCommitment.SubjectOf(row.Type, row.Key);
            stored.Add(subject);
            var explained = _touched.TryGetValue(subject, out var times) && times.Contains(row.ChangedAt)
                || bySubject[subject].Any(report => report.EndedAt == row.ChangedAt
                    || (_trustSet.TryGetValue(report.Reporter, out var set) && set.Any(at => at == row.ChangedAt && report.ReportedAt <= at && (report.EndedAt is null || report.EndedAt > at))))
                || (_reportTimes.Contains(row.ChangedAt) && bySubject[subject].Any(report =>
                    report.ReportedAt <= row.ChangedAt && row.ChangedAt - report.ReportedAt <= GroupCommitSpread))
                || row.ChangedAt <= _lastPurged;
            if (!explained || !ValueNames(row.Type, row.Key, row.Value))
            {
                Problem($"the CHANGES feed has {row.Type} {row.Key} ({row.Value}) changed at {Time(row.ChangedAt)}, which no log entry or proven report accounts for");
            }
        }

        foreach (var subject in _touched.Keys.Where(subject => !stored.Contains(subject)))
        {
            Problem($"log entries changed the reputation of {Describe(subject)}, but the CHANGES feed does not have it");
        }
    }

    /// <summary>
    /// The row must be what the REPORT entry its id names recorded: that action, at that time; and while the entry
    /// keeps its opening, the reporter must open its actor commitment and the row's fields (the evidence by its kept
    /// hash, and evidence still held must have that hash) its record commitment.
    /// </summary>
    private bool CheckReport(ReportRow row)
    {
        if (row.Entry is not { Action: ReputationActions.Report } entry || entry.At != row.ReportedAt)
        {
            Problem($"report {row.Id} is not what log entry {row.Id} records (no such entry, another action or another time)");
            return false;
        }

        if (!entry.Open)
        {
            return true;
        }

        if (!LogCommitment.Opens(LogCommitment.DeriveKey(entry.Secret, LogCommitment.Actor), row.Reporter, entry.Commitments.Actor))
        {
            Problem($"report {row.Id}: its reporter no longer opens the actor commitment of its log entry");
            return false;
        }

        if (!EntityTypes.TryParse(row.Type, out var type) || Categories(row.Categories) is not { } categories
            || !(Opens(entry, ReportDraft.Digest(new CanonicalEntity(type, row.Value, row.Key), row.Assertion, row.Rating, row.Confidence, categories,
                    row.EvidenceSha256, row.ReportedAt, row.ExpiresAt))
                || (Opens(entry, ReportDraft.LegacyDigest(new CanonicalEntity(type, row.Value, row.Key), row.Assertion, row.Rating, row.Confidence, categories,
                    row.EvidenceSha256, row.ReportedAt, row.ExpiresAt)) && ValueNames(row.Type, row.Key, row.Value)))
            || (row.Evidence is { } evidence && ReportDraft.EvidenceHash(evidence) != row.EvidenceSha256))
        {
            Problem($"report {row.Id} no longer matches the log entry that recorded it");
            return false;
        }

        return true;
    }

    private static string[]? Categories(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Security.OperatorRecordsJson.Default.StringArray);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// How each report ended follows from the log: withdrawn when a withdrawal entry names it (at that entry's time);
    /// else superseded by the same reporter's next report of the entity and assertion (at that report's time), unless
    /// it had expired first; expired only once its expiry has passed; otherwise it still counts.
    /// </summary>
    private void CheckEndings(List<ReportRow> proven)
    {
        var next = new Dictionary<long, ReportRow>();
        foreach (var group in proven.GroupBy(row => (row.Reporter, row.Type, row.Key, row.Assertion)))
        {
            ReportRow? previous = null;
            foreach (var row in group)
            {
                if (previous is not null)
                {
                    next[previous.Id] = row;
                }

                previous = row;
            }
        }

        foreach (var row in proven)
        {
            if ((row.Ended is null) != (row.EndedAt is null))
            {
                Problem($"report {row.Id} is stored as ended '{row.Ended ?? "none"}' at {Time(row.EndedAt)}");
                continue;
            }

            var withdrawal = _withdrawals.TryGetValue(LogCommitment.SubjectOf(row.Type, row.Key), out var candidates)
                ? candidates.FirstOrDefault(entry => Opens(entry, Withdrawal.Digest(row.Id)))
                : null;
            var successor = next.GetValueOrDefault(row.Id);
            var consistent = row.Ended switch
            {
                null => withdrawal is null && successor is null,
                Withdrawn => withdrawal is not null ? row.EndedAt == withdrawal.At : row.Entry?.Open == false,
                Superseded => withdrawal is null && successor is not null && row.EndedAt == successor.ReportedAt,
                Expired => withdrawal is null && row.EndedAt >= row.ExpiresAt && (successor is null || row.EndedAt <= successor.ReportedAt),
                _ => false,
            };
            if (!consistent)
            {
                var expected = withdrawal is not null ? $"withdrawn by log entry {withdrawal.Index} at {Time(withdrawal.At)}"
                    : successor is not null ? $"superseded by report {successor.Id} at {Time(successor.ReportedAt)}"
                    : "still counted";
                Problem($"report {row.Id} is stored as {(row.Ended is null ? "counted" : $"{row.Ended} at {Time(row.EndedAt)}")}, but the log has it {expected}");
            }
        }
    }

    /// <summary>
    /// Every aggregate (per entity and assertion, and each assertion's norm) must be the counted reports' sums,
    /// decayed to the aggregate's own time; one with no counted report must count none.
    /// </summary>
    private void CheckAggregates(List<ReportRow> counted)
    {
        var expected = new Dictionary<(string?, string?, string), List<ReportRow>>();
        foreach (var row in counted)
        {
            foreach (var key in new (string?, string?, string)[] { (row.Type, row.Key, row.Assertion), (null, null, row.Assertion) })
            {
                if (!expected.TryGetValue(key, out var rows))
                {
                    expected.Add(key, rows = []);
                }

                rows.Add(row);
            }
        }

        var stored = new HashSet<(string?, string?, string)>();
        foreach (var aggregate in _state.Aggregates())
        {
            var key = (aggregate.Type, aggregate.Key, aggregate.Assertion);
            stored.Add(key);
            var rows = expected.GetValueOrDefault(key) ?? [];
            double weight = 0, rated = 0;
            foreach (var row in rows)
            {
                var share = row.Weight * ReputationAggregate.Decay(row.ReportedAt, aggregate.At, _reputation.HalfLifeDays);
                weight += share;
                rated += share * row.Rating;
            }

            if (aggregate.Count != rows.Count || (rows.Count > 0 && (!Close(aggregate.Weight, weight) || !Close(aggregate.Rated, Math.Min(rated, weight)))))
            {
                Problem($"the aggregate of {(aggregate.Type is null ? "all reports" : $"{aggregate.Type} {aggregate.Key}")} for {aggregate.Assertion} "
                    + $"holds {aggregate.Count} reports of weight {Invariant(aggregate.Weight)} and weighted rating {Invariant(aggregate.Rated)} "
                    + $"at {Time(aggregate.At)}, but the counted reports give {rows.Count} of weight {Invariant(weight)} and weighted rating "
                    + $"{Invariant(Math.Min(rated, weight))}");
            }
        }

        foreach (var (key, rows) in expected)
        {
            if (!stored.Contains(key))
            {
                Problem($"the aggregate of {(key.Item1 is null ? "all reports" : $"{key.Item1} {key.Item2}")} for {key.Item3} is missing ({rows.Count} reports count)");
            }
        }
    }

    /// <summary>Each trust level must be what the last trust entry for that principal set, by that actor at that time; returns the proven levels.</summary>
    private Dictionary<string, double> CheckTrust()
    {
        var levels = new Dictionary<string, double>(StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _state.Trust())
        {
            stored.Add(row.Principal);
            if (!_trust.TryGetValue(row.Principal, out var entry))
            {
                Problem($"reporter {row.Principal} has a trust level, but no log entry sets one");
                continue;
            }

            if (row.SetBy != entry.Actor || row.SetAt != entry.At || !Opens(entry, TrustChange.Digest(row.Trust)))
            {
                Problem($"reporter {row.Principal}'s trust {Invariant(row.Trust)} (set by {row.SetBy} at {Time(row.SetAt)}) is not what log entry {entry.Index} set");
                continue;
            }

            levels[row.Principal] = row.Trust;
        }

        foreach (var (principal, entry) in _trust)
        {
            if (!stored.Contains(principal))
            {
                Problem($"log entry {entry.Index} set reporter {principal}'s trust, but no trust level is stored");
            }
        }

        return levels;
    }

    /// <summary>An entity is allowlisted exactly when the last allowlist entry for it adds it; the row must be that entry's.</summary>
    private void CheckAllowlist()
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _state.Allowlist())
        {
            var subject = LogCommitment.SubjectOf(row.Type, row.Key);
            stored.Add(subject);
            if (!_allowlist.TryGetValue(subject, out var entry) || entry.Action != ReputationActions.AllowlistAdd)
            {
                Problem($"allowlist entry {row.Type} {row.Key} is stored, but the log's last allowlist entry for it "
                    + (entry is null ? "does not exist" : $"({entry.Index}) removes it"));
                continue;
            }

            if (row.AddedBy != entry.Actor || row.AddedAt != entry.At
                || !(Opens(entry, AllowlistChange.Digest(row.Type, row.Key, row.Value, row.Reason))
                     || (Opens(entry, AllowlistChange.LegacyDigest(row.Reason)) && ValueNames(row.Type, row.Key, row.Value))))
            {
                Problem($"allowlist entry {row.Type} {row.Key} no longer matches log entry {entry.Index} that added it");
            }
        }

        foreach (var (subject, entry) in _allowlist)
        {
            if (entry.Action == ReputationActions.AllowlistAdd && !stored.Contains(subject))
            {
                Problem($"allowlist entry {Describe(subject)} was added by log entry {entry.Index} and never removed, but is not stored");
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> canonicalizes to the key (for entries that committed to the key only).</summary>
    private static bool ValueNames(string type, string key, string value) =>
        EntityTypes.TryParse(type, out var parsed) && EntityCanonicalizer.TryCanonicalize(parsed, value, out var entity, out _) && entity.Key == key;

    /// <summary>Equal up to the rounding of sums kept incrementally.</summary>
    private static bool Close(double stored, double expected) =>
        double.IsFinite(stored) && Math.Abs(stored - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected));
}
