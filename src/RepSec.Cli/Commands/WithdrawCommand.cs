using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec withdraw REPORT-ID</c>: takes back a report.</summary>
internal static class WithdrawCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var id = new Argument<long>("report-id") { Description = "The id repsec report printed" };
        id.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 0)
            {
                result.AddError("report-id must not be negative");
            }
        });
        var command = new Command("withdraw", "Withdraw a report you made (an admin may withdraw anyone's; needs a token)") { id };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                await context.Output.WithdrawAsync(await client.WithdrawAsync(parseResult.GetValue(id), ct));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
