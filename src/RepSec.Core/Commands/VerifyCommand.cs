using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// VERIFY: whether an entity is registered and its stored record is authentic, i.e. still matches the digest
/// its audit entry committed to.
/// </summary>
public sealed class VerifyCommand(IRegistryStore store) : RepSecCommand
{
    public override string Name => "VERIFY";

    public override CommandPolicy Policy => CommandPolicies.Verify;

    public override ProtocolError? Validate(CommandContext context) => EntityArgument.Bind(context, typeRequired: false);

    // Created once: the lookup runs on every VERIFY.
    private readonly Func<CanonicalEntity, CancellationToken, ValueTask<EntityRecord?>> _find = (e, ct) => store.FindAsync(e.Type, e.Key, ct);

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (_, record, error) = await EntityArgument.ResolveAsync(context, _find, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Entity verified", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, record!.Value);
        json.WriteString(ResponseNames.Type, record.Type.ToWire());
        json.WriteBoolean(ResponseNames.Verified, RecordDigest.Matches(record));
        context.Response.WriteTime(ResponseNames.LastUpdated, record.RegisteredAt);
        return null;
    }
}
