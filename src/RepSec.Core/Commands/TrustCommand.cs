using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Core.Reputation;
using RepSec.Protocol;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>
/// TRUST (admins): sets a reporter's trust in [0, 1]; every report of theirs that still counts is reweighted at
/// once, so lowering a noisy reporter's trust corrects the reputations they skewed. Without <c>trust</c> it lists
/// the levels set.
/// </summary>
public sealed class TrustCommand(ReputationService reputation, IOptions<RepSecOptions> options) : RepSecCommand<(string Principal, double Trust)?>
{
    public override string Name => "TRUST";

    public override CommandPolicy Policy => ReputationPolicies.Operator;

    /// <summary>The principal and its new trust level, or null to list the levels.</summary>
    protected override ProtocolError? Bind(CommandContext context, out (string Principal, double Trust)? setting)
    {
        ProtocolError? error = null;
        var principal = ReputationArguments.String(context, Names.Principal, 256, required: false, ref error);
        var trust = ReputationArguments.Unit(context, Names.Trust, required: principal is not null, ref error);
        if (error is null && principal is null && trust is not null)
        {
            error = ProtocolError.BadRequest(ErrorCodes.MissingParameter, "principal is required with trust");
        }

        setting = principal is null ? null : (principal, trust ?? 0);
        return error;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, (string Principal, double Trust)? setting, CancellationToken cancellationToken)
    {
        var json = context.Response.Json;
        if (setting is not var (principal, trust))
        {
            var levels = await reputation.Store.GetTrustAsync(cancellationToken);
            context.Response.Begin(StatusCodes.Ok, "Trust levels", context.Request.RawId);
            json.WriteNumber(ReputationNames.DefaultTrust, options.Value.Reputation.DefaultTrust);
            json.WriteStartObject(ReputationNames.Levels);
            foreach (var (name, level) in levels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(name, level);
            }

            json.WriteEndObject();
            return null;
        }

        var outcome = await reputation.Store.SetTrustAsync(
            TrustChange.Create(principal, trust, context.Principal.Name, context.Now), options.Value.Reputation.HalfLifeDays, cancellationToken);
        if (outcome.Status == ReportStatus.NotFound)
        {
            return new ProtocolError(StatusCodes.NotFound, ErrorCodes.NotFound, "No principal has that name");
        }

        context.Response.Begin(StatusCodes.Ok, "Trust set", context.Request.RawId);
        json.WriteString(ReputationNames.Principal, principal);
        json.WriteNumber(ReputationNames.Trust, trust);
        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }
}
