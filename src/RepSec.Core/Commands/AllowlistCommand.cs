using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>
/// ALLOWLIST (admins): adds an entity to the allowlist with a reason, or removes it. An allowlisted entity's
/// reputons say its negative assertions do not hold, whatever is reported, and say so (docs/reputation.md).
/// </summary>
public sealed class AllowlistCommand(ReputationService reputation, IRegistryStore registry) : RepSecCommand<string?>
{
    public override string Name => "ALLOWLIST";

    public override CommandPolicy Policy => ReputationPolicies.Operator;

    /// <summary>The reason when adding, null when removing.</summary>
    protected override ProtocolError? Bind(CommandContext context, out string? reason)
    {
        reason = null;
        if (EntityArgument.Bind(context, typeRequired: false) is { } entityError)
        {
            return entityError;
        }

        ProtocolError? error = null;
        var action = ReputationArguments.String(context, Names.Action, 16, required: true, ref error);
        var given = ReputationArguments.String(context, Names.Reason, 1024, required: action == "add", ref error);
        if (error is null && action is not ("add" or "remove"))
        {
            error = ReputationArguments.Invalid("action must be add or remove");
        }

        reason = action == "add" ? given : null;
        return error;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, string? reason, CancellationToken cancellationToken)
    {
        var (entity, error) = await ReputationEntity.ResolveAsync(context, registry, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var change = reason is null
            ? AllowlistChange.Remove(entity, context.Principal.Name, context.Now)
            : AllowlistChange.Add(entity, reason, context.Principal.Name, context.Now);
        var outcome = await reputation.Store.SetAllowlistAsync(change, cancellationToken);
        if (outcome.Status == ReportStatus.NotFound)
        {
            return new ProtocolError(StatusCodes.NotFound, ErrorCodes.NotFound, "The entity is not on the allowlist");
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, reason is null ? "Removed from the allowlist" : "Allowlisted", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        json.WriteBoolean(ReputationNames.Allowlisted, reason is not null);
        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }
}
