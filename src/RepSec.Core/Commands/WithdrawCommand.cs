using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>WITHDRAW: a reporter takes back a report (an admin may take back anyone's); its evidence is purged.</summary>
public sealed class WithdrawCommand(ReputationService reputation, IOptions<RepSecOptions> options) : RepSecCommand
{
    public override string Name => "WITHDRAW";

    public override CommandPolicy Policy => ReputationPolicies.Withdraw;

    public override ProtocolError? Validate(CommandContext context)
    {
        ProtocolError? error = null;
        context.Arguments = ReputationArguments.Integer(context, Names.Report, required: true, ref error);
        return error;
    }

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var id = (long)context.Arguments!;
        var principal = context.Principal;
        var withdrawal = new Withdrawal(id, principal.Name, principal.Role == Role.Admin ? null : principal.Name, context.Now);
        var outcome = await reputation.Store.WithdrawAsync(withdrawal, options.Value.Reputation.HalfLifeDays, cancellationToken);
        switch (outcome.Status)
        {
            case ReportStatus.NotFound:
                return new ProtocolError(StatusCodes.NotFound, ErrorCodes.NotFound, "No report has that id");
            case ReportStatus.NotReporter:
                return new ProtocolError(StatusCodes.Forbidden, ErrorCodes.NotReporter, "Only the report's reporter or an admin may withdraw it");
            case ReportStatus.AlreadyWithdrawn:
                return new ProtocolError(StatusCodes.Conflict, ErrorCodes.AlreadyWithdrawn, "The report no longer counts (withdrawn, superseded or expired)");
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Report withdrawn", context.Request.RawId);
        json.WriteNumber(ReputationNames.ReportId, id);
        context.Response.WriteTime(ReputationNames.WithdrawnAt, context.Now);
        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }
}
