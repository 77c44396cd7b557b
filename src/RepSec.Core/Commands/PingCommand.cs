using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>PING: liveness and round trip; answers with the server's clock.</summary>
public sealed class PingCommand : RepSecCommand
{
    public override string Name => "PING";

    public override CommandPolicy Policy => CommandPolicies.Ping;

    public override ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        context.Response.Begin(StatusCodes.Ok, "PONG", context.Request.RawId);
        context.Response.WriteTime(ResponseNames.ServerTime, context.Now);
        return ValueTask.FromResult<ProtocolError?>(null);
    }
}
