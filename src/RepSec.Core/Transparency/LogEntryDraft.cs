using System.Security.Cryptography;
using RepSec.Protocol.Parsing;
using RepSec.Protocol.Transparency;

namespace RepSec.Core.Transparency;

/// <summary>The three commitments a log leaf holds (docs/protocol.md, "Entries and leaves").</summary>
public sealed record EntryCommitments(byte[] Subject, byte[] Actor, byte[]? Record);

/// <summary>
/// A log entry before the store gives it an index: its action and time, its subject and actor in the clear (for
/// lookups and AUDIT, purged after retention), its secret, and the commitments its leaf will hold.
/// </summary>
public sealed record LogEntryDraft(
    string Action,
    DateTimeOffset At,
    string SubjectType,
    string SubjectKey,
    string Actor,
    byte[] Secret,
    EntryCommitments Commitments)
{
    /// <summary>Subject type of the operator's actions on principals.</summary>
    public const string PrincipalSubject = "principal";

    /// <summary>Actor of the operator's own commands (repsecd token, user, cert).</summary>
    public const string OperatorActor = "operator";

    /// <summary>A draft with a fresh secret; <paramref name="recordDigest"/> is what the entry's record commitment covers.</summary>
    public static LogEntryDraft Create(string action, DateTimeOffset at, string subjectType, string subjectKey, string actor, byte[]? recordDigest)
    {
        var secret = LogCommitment.NewSecret();
        return new LogEntryDraft(action, at, subjectType, subjectKey, actor, secret, new EntryCommitments(
            LogCommitment.Commit(LogCommitment.DeriveKey(secret, LogCommitment.Subject), LogCommitment.SubjectOf(subjectType, subjectKey)),
            LogCommitment.Commit(LogCommitment.DeriveKey(secret, LogCommitment.Actor), actor),
            recordDigest is null ? null : LogCommitment.Commit(LogCommitment.DeriveKey(secret, LogCommitment.Record), recordDigest)));
    }

    /// <summary>An operator action on a principal; the record commitment covers the action's details.</summary>
    public static LogEntryDraft ForOperator(string action, DateTimeOffset at, string principal, string details) =>
        Create(action, at, PrincipalSubject, principal, OperatorActor, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(details)));

    public LogLeaf LeafAt(long index) => Leaf(index, Action, At, Commitments);

    public static LogLeaf Leaf(long index, string action, DateTimeOffset at, EntryCommitments commitments) =>
        new(index, action, FormatTime(at), commitments.Subject, commitments.Actor, commitments.Record);

    /// <summary>The time as leaves and AUDIT show it: RFC 3339 UTC with milliseconds.</summary>
    public static string FormatTime(DateTimeOffset at)
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..Rfc3339.Format(at, buffer)]);
    }
}
