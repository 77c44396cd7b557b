using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec hello</c>: shows the server's capabilities.</summary>
internal static class HelloCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var command = new Command("hello", "Show the server's protocol, commands, extensions, limits and authentication methods");
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                await context.Output.HelloAsync(await client.HelloAsync("repsec", ct));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
