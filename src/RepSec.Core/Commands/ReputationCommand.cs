using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>
/// REPUTATION: an entity's aggregated view as RFC 7071 reputons (an empty array when nothing is known), read from
/// maintained aggregates in O(assertions). With <c>"reports": true</c> it also lists the counted reports, newest
/// first; reporters and evidence are shown only as policy allows. For an IP address or prefix, <c>covering</c> gives
/// the reputation of every prefix with reputation that covers it, most specific first (docs/consumers.md, "Ranges"),
/// as the in-memory reputation table holds it (at most <c>TableRefreshMilliseconds</c> behind).
/// </summary>
public sealed class ReputationCommand(ReputationService reputation, ReputationTable table, IRegistryStore registry, IOptions<RepSecOptions> options)
    : RepSecCommand<bool>
{
    /// <summary>Reports listed at most.</summary>
    public const int MaxReports = 100;

    public override string Name => "REPUTATION";

    public override CommandPolicy Policy => ReputationPolicies.Read;

    /// <summary>Whether the answer lists the entity's reports.</summary>
    protected override ProtocolError? Bind(CommandContext context, out bool withReports)
    {
        withReports = false;
        if (EntityArgument.Bind(context, typeRequired: false) is { } entityError)
        {
            return entityError;
        }

        ProtocolError? error = null;
        withReports = ReputationArguments.Flag(context, Names.Reports, ref error);
        return error;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, bool withReports, CancellationToken cancellationToken)
    {
        var (entity, error) = await ReputationEntity.ResolveAsync(context, registry, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var view = await reputation.ViewAsync(entity, cancellationToken);
        var covering = new List<ReputationView>();
        if (entity.Type == EntityType.Ip)
        {
            foreach (var row in table.Above(entity.Key))
            {
                covering.Add(await reputation.ViewAsync(row.Reputation, cancellationToken));
            }
        }

        var reports = withReports
            ? await reputation.Store.GetReportsAsync(entity.Type, entity.Key, MaxReports, cancellationToken)
            : null;

        context.Response.Begin(StatusCodes.Ok, "Reputation", context.Request.RawId);
        WriteView(context, view);
        if (entity.Type == EntityType.Ip)
        {
            var json = context.Response.Json;
            json.WriteStartArray(ReputationNames.Covering);
            foreach (var prefix in covering)
            {
                json.WriteStartObject();
                WriteView(context, prefix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (reports is not null)
        {
            WriteReports(context, reports, options.Value.Reputation.DiscloseReporters);
        }

        return null;
    }

    /// <summary>entity, type, allowlisted (with the entry when it is) and reputons; shared with CHANGES.</summary>
    internal static void WriteView(CommandContext context, ReputationView view)
    {
        var json = context.Response.Json;
        json.WriteString(ResponseNames.Entity, view.Source.Value);
        json.WriteString(ResponseNames.Type, view.Source.Type.ToWire());
        json.WriteBoolean(ReputationNames.Allowlisted, view.Allowlisted is not null);
        if (view.Allowlisted is { } entry)
        {
            json.WriteStartObject(ReputationNames.Allowlist);
            json.WriteString(ReputationNames.Reason, entry.Reason);
            context.Response.WriteTime(ReputationNames.Since, entry.Since);
            if (Privileged(context.Principal))
            {
                json.WriteString(ReputationNames.AddedBy, entry.AddedBy);
            }

            json.WriteEndObject();
        }

        Reputon.WriteArray(json, ReputationNames.Reputons, view.Reputons);
    }

    private static void WriteReports(CommandContext context, IReadOnlyList<StoredReport> reports, bool discloseReporters)
    {
        var json = context.Response.Json;
        var principal = context.Principal;
        json.WriteStartArray(ReputationNames.Reports);
        foreach (var report in reports)
        {
            var own = principal.Role != Role.None && report.Reporter == principal.Name;
            var privileged = Privileged(principal) || own;
            json.WriteStartObject();
            json.WriteNumber(ReputationNames.ReportId, report.Id);
            json.WriteString(ReputationNames.Assertion, report.Assertion);
            json.WriteNumber(ReputationNames.Rating, report.Rating);
            json.WriteNumber(ReputationNames.Confidence, report.Confidence);
            json.WriteNumber(ReputationNames.Weight, Math.Round(report.Weight, 6));
            json.WriteStartArray(ReputationNames.Categories);
            foreach (var category in report.Categories)
            {
                json.WriteStringValue(category);
            }

            json.WriteEndArray();
            context.Response.WriteTime(ReputationNames.ReportedAt, report.At);
            context.Response.WriteTime(ReputationNames.Expires, report.Expires);
            if (privileged || discloseReporters)
            {
                json.WriteString(ReputationNames.Reporter, report.Reporter);
            }
            else
            {
                json.WriteNull(ReputationNames.Reporter);
            }

            // Evidence may hold personal data: only its reporter, auditors and admins see it, until retention purges it.
            if (privileged && report.Evidence is { } evidence)
            {
                json.WriteString(ReputationNames.Evidence, evidence);
            }
            else
            {
                json.WriteNull(ReputationNames.Evidence);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static bool Privileged(Principal principal) => principal.Role is Role.Admin or Role.Auditor;
}
