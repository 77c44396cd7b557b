using System.Globalization;
using System.Security.Cryptography;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.Core.Transparency;

/// <summary>
/// The offline check behind <c>repsecd log verify</c>, the same for every store (each store only reads its rows,
/// <see cref="IStoredState"/>). First the log against itself: every entry still hashes to its leaf, every opening
/// still opens its commitments, every stored interior node is the hash of its children, and the recorded size is
/// the number of entries. Then the state against the log: replaying the entries in order gives, for everything the
/// server serves, the entry that last set it; each stored row must be exactly what that entry committed to (its
/// values recomputed into the entry's record commitment, its actor and time the entry's), every such entry must
/// have its row, and what is derived (report weights and endings, the reputation aggregates) must be what the
/// proven rows give. It proves the database holds nothing the log does not; only clients holding signed
/// checkpoints can prove the log itself was not rewritten wholesale.
/// </summary>
public sealed partial class LogAudit
{
    private const int MaxProblems = 100;
    private const int NodeBatch = 4_096;

    private readonly IStoredState _state;
    private readonly ReputationOptions _reputation;
    private readonly List<string> _problems = [];

    // What replaying the open entries gives: the entry that last set each piece of state.
    private readonly HashSet<long> _reportEntries = [];
    private readonly HashSet<DateTimeOffset> _reportTimes = [];
    private readonly Dictionary<string, long> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredEntry> _allowlist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredEntry> _trust = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredEntry>> _withdrawals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredEntry>> _operator = new(StringComparer.Ordinal);

    // When each entity's reputation was changed by an entry (report, withdrawal, allowlist), and each reporter's trust set.
    private readonly Dictionary<string, HashSet<DateTimeOffset>> _touched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _trustSet = new(StringComparer.Ordinal);
    private DateTimeOffset _lastPurged = DateTimeOffset.MinValue;

    private LogAudit(IStoredState state, ReputationOptions reputation)
    {
        _state = state;
        _reputation = reputation;
    }

    /// <summary>Checks the stored log and the stored state; <paramref name="reputation"/> gives the default trust and half-life the weights and aggregates were computed with.</summary>
    public static LogAuditReport Run(IStoredState state, ReputationOptions? reputation = null)
    {
        var audit = new LogAudit(state, reputation ?? new ReputationOptions());
        var frontier = audit.ReplayEntries();
        var records = audit.CheckEntities();
        var reports = audit.CheckReputation();
        audit.CheckPrincipals();
        return new LogAuditReport(frontier.Size, frontier.Root(), records, audit._problems) { Reports = reports };
    }

    private MerkleFrontier ReplayEntries()
    {
        var frontier = MerkleFrontier.Empty();
        var completed = new List<NodeId>();
        var hashes = new Dictionary<NodeId, byte[]>();
        foreach (var entry in _state.Entries())
        {
            if (entry.Index != frontier.Size)
            {
                Problem($"entry {frontier.Size} is missing (next stored is {entry.Index})");
                break;
            }

            if (!LogEntryDraft.Leaf(entry.Index, entry.Action, entry.At, entry.Commitments).Hash().AsSpan().SequenceEqual(entry.Leaf))
            {
                Problem($"entry {entry.Index} no longer hashes to its leaf");
            }

            if (entry.Open
                && (!LogCommitment.Opens(LogCommitment.DeriveKey(entry.Secret, LogCommitment.Subject), LogCommitment.SubjectOf(entry.SubjectType!, entry.SubjectKey!), entry.Commitments.Subject)
                    || !LogCommitment.Opens(LogCommitment.DeriveKey(entry.Secret, LogCommitment.Actor), entry.Actor!, entry.Commitments.Actor)))
            {
                Problem($"entry {entry.Index}: its subject or actor no longer opens its commitments");
            }

            // Build the tree from the stored leaves; the interior nodes it completes are compared in batches.
            frontier.Append(entry.Leaf, (level, index, hash) =>
            {
                completed.Add(new NodeId(level, index));
                hashes[new NodeId(level, index)] = hash;
            });
            if (completed.Count >= NodeBatch)
            {
                CheckNodes(completed, hashes);
            }

            Replay(entry);
        }

        CheckNodes(completed, hashes);
        if (_state.RecordedSize() is { } recorded && recorded != frontier.Size)
        {
            Problem($"the log head says {recorded} about its size, but {frontier.Size} entries are stored in sequence");
        }

        return frontier;
    }

    private void CheckNodes(List<NodeId> completed, Dictionary<NodeId, byte[]> hashes)
    {
        if (completed.Count == 0)
        {
            return;
        }

        var stored = _state.Nodes(completed);
        foreach (var node in completed)
        {
            if (!stored.TryGetValue(node, out var found) || !found.AsSpan().SequenceEqual(hashes[node]))
            {
                Problem($"tree node ({node.Level}, {node.Index}) is missing or does not match its leaves");
            }
        }

        completed.Clear();
        hashes.Clear();
    }

    /// <summary>Notes what the entry sets. A purged entry says nothing about its subject; retention keeps the openings of every entry that proves live state.</summary>
    private void Replay(StoredEntry entry)
    {
        if (entry.Action == ReputationActions.Report)
        {
            _reportEntries.Add(entry.Index);
            _reportTimes.Add(entry.At);
        }

        if (!entry.Open)
        {
            _lastPurged = entry.At > _lastPurged ? entry.At : _lastPurged;
            return;
        }

        var subject = LogCommitment.SubjectOf(entry.SubjectType!, entry.SubjectKey!);
        if (entry.Action is ReputationActions.Report or ReputationActions.Withdraw or ReputationActions.AllowlistAdd or ReputationActions.AllowlistRemove)
        {
            if (!_touched.TryGetValue(subject, out var times))
            {
                _touched.Add(subject, times = []);
            }

            times.Add(entry.At);
        }

        switch (entry.Action)
        {
            case AuditActions.Register:
                _entities[subject] = entry.Index;
                break;
            case AuditActions.Remove:
                _entities[subject] = ~entry.Index;
                break;
            case ReputationActions.AllowlistAdd or ReputationActions.AllowlistRemove:
                _allowlist[subject] = entry;
                break;
            case ReputationActions.TrustSet:
                _trust[entry.SubjectKey!] = entry;
                if (!_trustSet.TryGetValue(entry.SubjectKey!, out var set))
                {
                    _trustSet.Add(entry.SubjectKey!, set = []);
                }

                set.Add(entry.At);
                break;
            case ReputationActions.Withdraw:
                ListOf(_withdrawals, subject).Add(entry);
                break;
            case AuditActions.PrincipalAdd or AuditActions.TokenIssue or AuditActions.TokenRevoke or AuditActions.CertificateAdd
                or AuditActions.CertificateRemove or AuditActions.PasswordSet or AuditActions.ContactSet:
                ListOf(_operator, entry.SubjectKey!).Add(entry);
                break;
        }
    }

    private long CheckEntities()
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        long count = 0;
        foreach (var row in _state.Entities())
        {
            count++;
            var subject = LogCommitment.SubjectOf(row.Type, row.Key);
            stored.Add(subject);
            if (!_entities.TryGetValue(subject, out var latest) || latest != row.LogIndex)
            {
                Problem($"{row.Type} {row.Key} is stored as registered by entry {row.LogIndex}, but the log's last entry for it is "
                    + (_entities.TryGetValue(subject, out latest) ? latest >= 0 ? $"registration {latest}" : $"removal {~latest}" : "none"));
                continue;
            }

            EntityTypes.TryParse(row.Type, out var type);
            var committed = row.Entry is { Secret: { } secret } entry ? new CommittedEntry(secret, entry.Commitments, entry.Leaf) : null;
            if (!RecordDigest.Matches(new EntityRecord(type, row.Key, row.Value, row.Owner, row.Attributes, row.RegisteredAt, row.LogIndex, committed)))
            {
                Problem($"{row.Type} {row.Key} no longer matches the log entry {row.LogIndex} that registered it");
            }
        }

        foreach (var (subject, latest) in _entities)
        {
            if (latest >= 0 && !stored.Contains(subject))
            {
                Problem($"{Describe(subject)} was registered by log entry {latest} and never removed, but has no row");
            }
        }

        return count;
    }

    /// <summary>Whether the entry's record commitment opens to SHA-256 of <paramref name="text"/>.</summary>
    private static bool Opens(StoredEntry entry, string text) =>
        Opens(entry, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static bool Opens(StoredEntry entry, byte[] digest) =>
        entry is { Secret: { } secret, Commitments.Record: { } record }
        && CryptographicOperations.FixedTimeEquals(LogCommitment.Commit(LogCommitment.DeriveKey(secret, LogCommitment.Record), digest), record);

    private static List<StoredEntry> ListOf(Dictionary<string, List<StoredEntry>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map.Add(key, list = []);
        }

        return list;
    }

    private static string Describe(string subject) => subject.Replace('\n', ' ');

    private static string Time(DateTimeOffset? at) => at is { } time ? LogEntryDraft.FormatTime(time) : "none";

    private void Problem(string problem)
    {
        if (_problems.Count < MaxProblems)
        {
            _problems.Add(problem);
        }
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
