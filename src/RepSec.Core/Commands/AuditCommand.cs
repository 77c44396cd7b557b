using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// AUDIT: an entity's history, oldest first. Auditors and admins see every entry with its actor; the entity's
/// owner (its last owner once removed) sees the history with actors other than itself withheld.
/// </summary>
public sealed class AuditCommand(IRegistryStore store) : RepSecCommand
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

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Audit history", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        json.WriteStartArray(ResponseNames.Entries);
        foreach (var entry in history)
        {
            json.WriteStartObject();
            json.WriteNumber(ResponseNames.LogIndex, entry.Index);
            json.WriteString(ResponseNames.Action, entry.Action);
            context.Response.WriteTime(ResponseNames.Time, entry.At);
            if (privileged || entry.Actor == principal.Name)
            {
                json.WriteString(ResponseNames.Actor, entry.Actor);
            }
            else
            {
                json.WriteNull(ResponseNames.Actor);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        return null;
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
