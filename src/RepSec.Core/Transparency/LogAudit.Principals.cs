using System.Text.Json;
using RepSec.Core.Registry;
using RepSec.Core.Security;

namespace RepSec.Core.Transparency;

// The operator's state: principals and their roles, tokens, client certificates, passwords and contacts.
public sealed partial class LogAudit
{
    private void CheckPrincipals()
    {
        var principals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _state.Principals())
        {
            principals.Add(row.Name);
            var added = Operator(row.Name, AuditActions.PrincipalAdd).FirstOrDefault();
            if (added is null || added.At != row.CreatedAt || !Opens(added, OperatorRecords.PrincipalAdd(row.Role)))
            {
                Problem(added is null
                    ? $"principal {row.Name} is stored, but no log entry adds it"
                    : $"principal {row.Name} (role {row.Role}, created {Time(row.CreatedAt)}) is not what log entry {added.Index} added");
            }
        }

        foreach (var (name, entries) in _operator)
        {
            if (!principals.Contains(name) && entries.FirstOrDefault(entry => entry.Action == AuditActions.PrincipalAdd) is { } added)
            {
                Problem($"principal {name} was added by log entry {added.Index}, but is not stored");
            }
        }

        CheckTokens();
        CheckCertificates();
        CheckLatest(AuditActions.PasswordSet, "password", _state.Passwords().Select(row => (row.Principal, row.UpdatedAt, (Func<StoredEntry, bool>)(entry =>
            Opens(entry, OperatorRecords.Password(row.Realm, row.Salt, row.Iterations, row.Hash, row.DigestSha256, row.DigestMd5))
            || Opens(entry, OperatorRecords.LegacyPassword(row.Realm))))), removal: null);
        CheckLatest(AuditActions.ContactSet, "contact", _state.Contacts().Select(row => (row.Principal, row.UpdatedAt, (Func<StoredEntry, bool>)(entry =>
            ContactFields(row.Fields) is { } fields && (Opens(entry, OperatorRecords.Contact(fields)) || Opens(entry, OperatorRecords.LegacyContact(fields)))))),
            removal: entry => Opens(entry, OperatorRecords.Contact(new Dictionary<string, string>())) || Opens(entry, OperatorRecords.LegacyContact(new Dictionary<string, string>())));
    }

    /// <summary>
    /// A token is stored exactly as an issuing entry for its principal recorded it (id, secret hash, time), revoked
    /// exactly when a revoking entry names it; every issuing entry has its token.
    /// </summary>
    private void CheckTokens()
    {
        var matched = new HashSet<long>();
        foreach (var row in _state.Tokens())
        {
            var issued = Operator(row.Principal, AuditActions.TokenIssue).FirstOrDefault(entry => entry.At == row.CreatedAt
                && (Opens(entry, OperatorRecords.TokenIssue(row.Id, row.SecretHash)) || Opens(entry, OperatorRecords.LegacyTokenIssue(row.Id))));
            if (issued is null)
            {
                Problem($"token {row.Id} of {row.Principal} (issued {Time(row.CreatedAt)}) is not what any log entry issued");
                continue;
            }

            matched.Add(issued.Index);
            var revoked = Operator(row.Principal, AuditActions.TokenRevoke).FirstOrDefault(entry => Opens(entry, OperatorRecords.TokenRevoke(row.Id)));
            if (revoked?.At != row.RevokedAt)
            {
                Problem(revoked is null
                    ? $"token {row.Id} is stored as revoked at {Time(row.RevokedAt)}, but no log entry revokes it"
                    : $"token {row.Id} was revoked by log entry {revoked.Index} at {Time(revoked.At)}, but is stored as revoked at {Time(row.RevokedAt)}");
            }
        }

        foreach (var entry in _operator.Values.SelectMany(entries => entries).Where(entry => entry.Action == AuditActions.TokenIssue && !matched.Contains(entry.Index)))
        {
            Problem($"log entry {entry.Index} issued a token to {entry.SubjectKey}, but no stored token is that one");
        }
    }

    /// <summary>
    /// A certificate is stored exactly as an adding entry for its principal recorded it, and no later entry removed
    /// it; a principal's added certificates that are not stored must have been removed as often.
    /// </summary>
    private void CheckCertificates()
    {
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in _state.Certificates())
        {
            var added = Operator(row.Principal, AuditActions.CertificateAdd).LastOrDefault(entry => Opens(entry, OperatorRecords.Certificate(row.Fingerprint)));
            var removed = added is null ? null
                : Operator(row.Principal, AuditActions.CertificateRemove).FirstOrDefault(entry => entry.Index > added.Index && Opens(entry, OperatorRecords.Certificate(row.Fingerprint)));
            if (added is null || added.At != row.AddedAt || removed is not null)
            {
                Problem(added is null
                    ? $"certificate {row.Fingerprint} of {row.Principal} is stored, but no log entry added it for {row.Principal}"
                    : removed is not null
                        ? $"certificate {row.Fingerprint} was removed by log entry {removed.Index}, but is still stored"
                        : $"certificate {row.Fingerprint} (added {Time(row.AddedAt)}) is not what log entry {added.Index} added");
                continue;
            }

            stored[row.Principal] = stored.GetValueOrDefault(row.Principal) + 1;
        }

        foreach (var (principal, entries) in _operator)
        {
            var added = entries.Count(entry => entry.Action == AuditActions.CertificateAdd);
            var removed = entries.Count(entry => entry.Action == AuditActions.CertificateRemove);
            if (added - removed > stored.GetValueOrDefault(principal))
            {
                Problem($"the log added {added} certificates for {principal} and removed {removed}, but {stored.GetValueOrDefault(principal)} are stored");
            }
        }
    }

    /// <summary>
    /// State one row per principal holds (a password, a contact): the row must be what the principal's last entry of
    /// <paramref name="action"/> recorded, at that time; a principal whose last such entry set something has its row,
    /// unless <paramref name="removal"/> says that entry removed it.
    /// </summary>
    private void CheckLatest(string action, string what, IEnumerable<(string Principal, DateTimeOffset At, Func<StoredEntry, bool> Matches)> rows, Func<StoredEntry, bool>? removal)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (principal, at, matches) in rows)
        {
            stored.Add(principal);
            var latest = Operator(principal, action).LastOrDefault();
            if (latest is null || latest.At != at || !matches(latest))
            {
                Problem(latest is null
                    ? $"the {what} of {principal} is stored, but no log entry set it"
                    : $"the {what} of {principal} (set {Time(at)}) is not what log entry {latest.Index} set");
            }
        }

        foreach (var (principal, entries) in _operator)
        {
            if (!stored.Contains(principal) && entries.LastOrDefault(entry => entry.Action == action) is { } latest && removal?.Invoke(latest) != true)
            {
                Problem($"log entry {latest.Index} set the {what} of {principal}, but none is stored");
            }
        }
    }

    private IEnumerable<StoredEntry> Operator(string principal, string action) =>
        _operator.TryGetValue(principal, out var entries) ? entries.Where(entry => entry.Action == action) : [];

    private static Dictionary<string, string>? ContactFields(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OperatorRecordsJson.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
