using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec audit ENTITY</c>: an entity's history, oldest first.</summary>
internal static class AuditCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity whose history to show");
        var type = EntityArguments.Type(required: false);
        var command = new Command("audit", "Show an entity's history (needs a token: its owner, an auditor or an admin)") { entity, type };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                await context.Output.AuditAsync(await client.AuditAsync(parseResult.GetValue(entity)!, parseResult.GetValue(type), ct));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
