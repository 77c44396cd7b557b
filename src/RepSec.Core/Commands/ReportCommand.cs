using Microsoft.Extensions.Options;
using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Protocol;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>
/// REPORT: a reporter asserts something about an entity, registered or not. The report supersedes the reporter's
/// earlier one about the same entity and assertion (one voice each), at most once per interval; it is a leaf of
/// the log and changes the entity's aggregates before the 200.
/// </summary>
public sealed class ReportCommand(
    ReputationService reputation, IRegistryStore registry, IOptions<RepSecOptions> options, RepSecMetrics metrics) : RepSecCommand
{
    private readonly ReputationOptions _options = options.Value.Reputation;

    public override string Name => "REPORT";

    public override CommandPolicy Policy => ReputationPolicies.Report;

    public override ProtocolError? Validate(CommandContext context)
    {
        if (EntityArgument.Bind(context, typeRequired: false) is { } entityError)
        {
            return entityError;
        }

        ProtocolError? error = null;
        var assertion = ReputationArguments.String(context, Names.Assertion, 64, required: true, ref error);
        var rating = ReputationArguments.Unit(context, Names.Rating, required: true, ref error);
        var confidence = ReputationArguments.Unit(context, Names.Confidence, required: false, ref error) ?? 1;
        var categories = ReputationArguments.Tokens(context, Names.Categories, _options.MaxCategories, ref error) ?? [];
        var evidence = ReputationArguments.String(context, Names.Evidence, _options.MaxEvidenceBytes, required: false, ref error);
        var expires = ReputationArguments.Time(context, Names.Expires, ref error);
        if (error is null && !reputation.Assertions.IsKnown(assertion!))
        {
            error = ReputationArguments.Invalid($"assertion must be one of {string.Join(", ", reputation.Assertions.Names)}");
        }

        context.Arguments = new Arguments(assertion!, rating ?? 0, confidence, categories, evidence, expires);
        return error;
    }

    public override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = (Arguments)context.Arguments!;
        var now = context.Now;
        // Stored and committed to the millisecond, as every time in the log is.
        var expires = DateTimeOffset.FromUnixTimeMilliseconds((args.Expires ?? now.AddDays(_options.DefaultReportLifetimeDays)).ToUnixTimeMilliseconds());
        if (expires <= now || expires > now.AddDays(_options.MaxReportLifetimeDays))
        {
            return ReputationArguments.Invalid($"expires must be in the future and at most {_options.MaxReportLifetimeDays} days ahead");
        }

        var (entity, error) = await ReputationEntity.ResolveAsync(context, registry, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var draft = ReportDraft.Create(entity, context.Principal.Name, args.Assertion, args.Rating, args.Confidence, args.Categories,
            args.Evidence, now, expires, TimeSpan.FromSeconds(_options.ReportIntervalSeconds));
        var outcome = await reputation.Store.ReportAsync(draft, _options.DefaultTrust, _options.HalfLifeDays, cancellationToken);
        metrics.Report(args.Assertion, outcome.Status == ReportStatus.TooSoon ? "too_soon" : outcome.Superseded is null ? "new" : "superseding");
        if (outcome.Status == ReportStatus.TooSoon)
        {
            var wait = (int)Math.Ceiling(((outcome.RetryAt ?? now) - now).TotalSeconds);
            return new ProtocolError(StatusCodes.TooManyRequests, ErrorCodes.ReportTooSoon,
                $"You reported this entity's {args.Assertion} less than {_options.ReportIntervalSeconds} s ago")
            {
                RetryAfterSeconds = Math.Max(1, wait),
            };
        }

        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Report recorded", context.Request.RawId);
        json.WriteString(ResponseNames.Entity, entity.Value);
        json.WriteString(ResponseNames.Type, entity.Type.ToWire());
        json.WriteString(ReputationNames.Assertion, args.Assertion);
        json.WriteNumber(ReputationNames.ReportId, outcome.LogIndex);
        context.Response.WriteTime(ReputationNames.ReportedAt, now);
        context.Response.WriteTime(ReputationNames.Expires, expires);
        if (outcome.Superseded is { } superseded)
        {
            json.WriteNumber(ReputationNames.Superseded, superseded);
        }
        else
        {
            json.WriteNull(ReputationNames.Superseded);
        }

        json.WriteNumber(ResponseNames.LogIndex, outcome.LogIndex);
        return null;
    }

    private sealed record Arguments(
        string Assertion, double Rating, double Confidence, IReadOnlyList<string> Categories, string? Evidence, DateTimeOffset? Expires);
}
