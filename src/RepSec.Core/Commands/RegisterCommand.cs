using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>REGISTER: records an entity owned by the requesting principal; durable before the 200.</summary>
public sealed class RegisterCommand(IRegistryStore store, IOptions<RepSecOptions> options) : RepSecCommand
{
    public override string Name => "REGISTER";

    public override CommandPolicy Policy { get; } =
        options.Value.AllowAnonymousRegister ? CommandPolicies.RegisterAnonymous : CommandPolicies.Register;

    public override ProtocolError? Validate(CommandContext context) => EntityArgument.Bind(context, typeRequired: true);

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var entity = context.Entity!.Value;
        var owner = context.Principal.Name;
        var attributes = context.Request.AttributesJson;
        var outcome = await store.RegisterAsync(
            Registration.Create(entity.Type, entity.Key, entity.Value, owner, attributes, context.Now), cancellationToken);
        if (outcome.Status == WriteStatus.AlreadyRegistered)
        {
            return new ProtocolError(StatusCodes.Conflict, ErrorCodes.AlreadyRegistered, "Entity is already registered");
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Entity registered successfully", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        context.Response.WriteTime(ResponseNames.RegisteredAt, context.Now);
        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }
}
