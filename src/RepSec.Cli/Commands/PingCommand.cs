using System.CommandLine;
using System.Diagnostics;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec ping</c>: checks the server answers and shows the round trip.</summary>
internal static class PingCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var command = new Command("ping", "Check that the server answers; shows its clock and the round trip");
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                var result = await client.PingAsync(ct);
                await context.Output.PingAsync(result, Stopwatch.GetElapsedTime(started));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
