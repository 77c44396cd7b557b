using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Parsing;
using RepSec.Protocol.Transparency;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// AUDIT: an entity's history, oldest first. Auditors and admins see every entry with its actor; the entity's
/// owner (its last owner once removed) sees the history with actors other than itself withheld. Every entry
/// carries its leaf's commitments, the keys that open what the caller may see, and its inclusion proof in the
/// latest signed checkpoint, which the answer carries too.
/// </summary>
public sealed class AuditCommand(IRegistryStore store, TransparencyLog log) : RepSecCommand
{
    // A never-registered entity has an empty history, which counts as not found.
    private readonly Func<CanonicalEntity, CancellationToken, ValueTask<IReadOnlyList<AuditEntry>?>> _history =
        async (e, ct) => await store.GetHistoryAsync(e.Type, e.Key, ct) is { Count: > 0 } entries ? entries : null;

    public override string Name => "AUDIT";

    public override CommandPolicy Policy => CommandPolicies.Audit;

    public override ProtocolError? Validate(CommandContext context) => EntityArgument.Bind(context, typeRequired: false);

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (entity, found, error) = await EntityArgument.ResolveAsync(context, _history, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var history = found!;

        var principal = context.Principal;
        var privileged = principal.Role is Role.Admin or Role.Auditor;
        if (!privileged && LastOwner(history) != principal.Name)
        {
            return new ProtocolError(StatusCodes.Forbidden, ErrorCodes.NotOwner, "Only the entity's owner, auditors and admins may audit it");
        }

        // The history was read first, so the checkpoint covers every entry in it.
        var checkpoint = await log.LatestCheckpointAsync(cancellationToken);
        var proofs = await log.InclusionProofsAsync([.. history.Select(e => e.Index)], checkpoint.Size, cancellationToken);

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Audit history", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        WriteEntries(json, history, proofs, entry => privileged || entry.Actor == principal.Name);
        json.WriteNumber(ResponseNames.TreeSize, checkpoint.Size);
        json.WriteString(ResponseNames.Checkpoint, checkpoint.Note);
        return null;
    }

    /// <summary>
    /// The <c>entries</c> array of an audit answer: each entry's index, action, time, actor (null where
    /// <paramref name="showActor"/> says no), leaf commitments, openings and inclusion proof. The HTTPS transparency
    /// endpoint writes its history with the same code.
    /// </summary>
    public static void WriteEntries(System.Text.Json.Utf8JsonWriter json, IReadOnlyList<AuditEntry> history, IReadOnlyList<List<byte[]>> proofs, Func<AuditEntry, bool> showActor)
    {
        Span<char> time = stackalloc char[32];
        json.WriteStartArray(ResponseNames.Entries);
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            var shown = showActor(entry);
            json.WriteStartObject();
            json.WriteNumber(ResponseNames.LogIndex, entry.Index);
            json.WriteString(ResponseNames.Action, entry.Action);
            json.WriteString(ResponseNames.Time, time[..Rfc3339.Format(entry.At, time)]);
            if (shown)
            {
                json.WriteString(ResponseNames.Actor, entry.Actor);
            }
            else
            {
                json.WriteNull(ResponseNames.Actor);
            }

            WriteLeaf(json, entry, shown);
            CheckpointCommand.WriteHashes(json, ResponseNames.Inclusion, proofs[i]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The commitments, and the keys that open the subject and (when shown) the actor; never the secret.</summary>
    private static void WriteLeaf(System.Text.Json.Utf8JsonWriter json, AuditEntry entry, bool showActor)
    {
        json.WriteStartObject(ResponseNames.Leaf);
        json.WriteBase64String(ResponseNames.Subject, entry.Commitments.Subject);
        json.WriteBase64String(ResponseNames.Actor, entry.Commitments.Actor);
        if (entry.Commitments.Record is { } record)
        {
            json.WriteBase64String(ResponseNames.Record, record);
        }
        else
        {
            json.WriteNull(ResponseNames.Record);
        }

        json.WriteEndObject();
        json.WriteStartObject(ResponseNames.Opening);
        json.WriteBase64String(ResponseNames.Subject, LogCommitment.DeriveKey(entry.Secret, LogCommitment.Subject));
        if (showActor)
        {
            json.WriteBase64String(ResponseNames.Actor, LogCommitment.DeriveKey(entry.Secret, LogCommitment.Actor));
        }

        json.WriteEndObject();
    }

    /// <summary>The owner is whoever made the latest registration.</summary>
    private static string? LastOwner(IReadOnlyList<AuditEntry> history)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].Action == AuditActions.Register)
            {
                return history[i].Actor;
            }
        }

        return null;
    }
}
