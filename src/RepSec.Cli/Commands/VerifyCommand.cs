using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec verify ENTITY</c>: exit code 1 when the server answers that the entity is not verified.</summary>
internal static class VerifyCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity to verify, such as example.com");
        var type = EntityArguments.Type(required: false);
        var command = new Command("verify", "Check whether an entity is registered and its record authentic (exit code 1 if not verified)")
        {
            entity,
            type,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                var result = await client.VerifyAsync(parseResult.GetValue(entity)!, parseResult.GetValue(type), ct);
                await context.Output.VerifyAsync(result);
                return result.Verified ? ExitCodes.Success : ExitCodes.NotVerified;
            }, cancellationToken);
        });
        return command;
    }
}
