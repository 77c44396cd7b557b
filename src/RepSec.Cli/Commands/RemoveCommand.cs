using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec remove ENTITY</c>: deletes an entity you own.</summary>
internal static class RemoveCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity to remove");
        var type = EntityArguments.Type(required: false);
        var command = new Command("remove", "Remove an entity you own (needs a token)") { entity, type };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                await context.Output.RemoveAsync(await client.RemoveAsync(parseResult.GetValue(entity)!, parseResult.GetValue(type), ct));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
