using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec allowlist add|remove ENTITY</c>: the operator's override against false positives (admins).</summary>
internal static class AllowlistCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var command = new Command("allowlist", "Add an entity to the allowlist, so its negative assertions do not hold, or remove it (admins)");
        command.Subcommands.Add(Action(contextFor, add: true));
        command.Subcommands.Add(Action(contextFor, add: false));
        return command;
    }

    private static Command Action(Func<ParseResult, CliContext> contextFor, bool add)
    {
        var entity = EntityArguments.Entity(add ? "The entity to allowlist" : "The entity to take off the allowlist");
        var type = EntityArguments.Type(required: false);
        var command = add
            ? new Command("add", "Allowlist an entity, with the reason shown beside its reputation") { entity, type }
            : new Command("remove", "Take an entity off the allowlist, so its reports count again") { entity, type };
        var reason = new Option<string>("--reason") { Description = "Why the entity is allowlisted (shown to everyone)", HelpName = "text", Required = true };
        if (add)
        {
            command.Options.Add(reason);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var name = parseResult.GetValue(entity)!;
            var typeName = parseResult.GetValue(type);
            return context.RunAsync(async (client, ct) =>
            {
                var result = add
                    ? await client.AllowlistAddAsync(name, parseResult.GetValue(reason)!, typeName, ct)
                    : await client.AllowlistRemoveAsync(name, typeName, ct);
                await context.Output.AllowlistAsync(result);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
