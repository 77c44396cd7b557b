using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>REMOVE: deletes an entity (its attributes are purged); only its owner or an admin may.</summary>
public sealed class RemoveCommand(IRegistryStore store) : RepSecCommand
{
    private readonly Func<CanonicalEntity, CancellationToken, ValueTask<EntityRecord?>> _find = (e, ct) => store.FindAsync(e.Type, e.Key, ct);

    public override string Name => "REMOVE";

    public override CommandPolicy Policy => CommandPolicies.Remove;

    public override ProtocolError? Validate(CommandContext context) => EntityArgument.Bind(context, typeRequired: false);

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (entity, _, error) = await EntityArgument.ResolveAsync(context, _find, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var principal = context.Principal;
        var requiredOwner = principal.Role == Role.Admin ? null : principal.Name;
        var outcome = await store.RemoveAsync(Removal.Create(entity.Type, entity.Key, principal.Name, requiredOwner, context.Now), cancellationToken);
        switch (outcome.Status)
        {
            case WriteStatus.NotFound:
                return EntityArgument.NotFound;
            case WriteStatus.NotOwner:
                return new ProtocolError(StatusCodes.Forbidden, ErrorCodes.NotOwner, "Only the entity's owner or an admin may remove it");
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Entity removed", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        context.Response.WriteTime(ResponseNames.RemovedAt, context.Now);
        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }
}
