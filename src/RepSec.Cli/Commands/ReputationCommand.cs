using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec reputation ENTITY [--reports]</c>: the entity's reputons as a table, and optionally the reports behind them.</summary>
internal static class ReputationCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity, such as example.com");
        var type = EntityArguments.Type(required: false);
        var reports = new Option<bool>("--reports")
        {
            Description = "Also list the reports that count, newest first (reporters and evidence only as the server's policy shows them to you)",
        };
        var command = new Command("reputation", "Show an entity's reputation: rating, confidence and sample size per assertion (no token needed)")
        {
            entity,
            type,
            reports,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                var result = await client.ReputationAsync(parseResult.GetValue(entity)!, parseResult.GetValue(type), parseResult.GetValue(reports), ct);
                await context.Output.ReputationAsync(result);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
