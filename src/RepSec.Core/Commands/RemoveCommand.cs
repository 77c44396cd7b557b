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
    public override string Name => "REMOVE";

    public override CommandPolicy Policy => CommandPolicies.Remove;

    public override ProtocolError? Validate(CommandContext context) => EntityArgument.Bind(context, typeRequired: false);

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (resolved, error) = await EntityArgument.ResolveAsync(context,
            async c => await store.FindAsync(c.Type, c.Key, cancellationToken) is not null);
        if (error is not null)
        {
            return error;
        }

        var entity = resolved!.Value;
        var principal = context.Principal;
        var requiredOwner = principal.Role == Role.Admin ? null : principal.Name;
        var outcome = await store.RemoveAsync(new Removal(entity.Type, entity.Key, principal.Name, requiredOwner, context.Now), cancellationToken);
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
