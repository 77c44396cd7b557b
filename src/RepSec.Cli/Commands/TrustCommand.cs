using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec trust [PRINCIPAL LEVEL]</c>: lists the reporters' trust levels, or sets one (admins).</summary>
internal static class TrustCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var principal = new Argument<string?>("principal") { Description = "The reporter whose trust to set", Arity = ArgumentArity.ZeroOrOne };
        var level = new Argument<double?>("level") { Description = "The trust from 0 (their reports stop counting) to 1", Arity = ArgumentArity.ZeroOrOne };
        level.Validators.Add(result => ReputationArguments.ValidateUnit(result, result.Tokens.Count > 0 ? result.GetValueOrDefault<double?>() : 0, "level"));
        var command = new Command("trust", "List the reporters' trust levels, or set one; their reports are reweighted at once (admins)")
        {
            principal,
            level,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(principal) is { Tokens.Count: > 0 } && result.GetResult(level) is not { Tokens.Count: > 0 })
            {
                result.AddError("give the trust level after the principal, such as: repsec trust alice 0.5");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var name = parseResult.GetValue(principal);
            return context.RunAsync(async (client, ct) =>
            {
                if (name is null)
                {
                    await context.Output.TrustLevelsAsync(await client.TrustAsync(ct));
                }
                else
                {
                    await context.Output.TrustAsync(await client.SetTrustAsync(name, parseResult.GetValue(level)!.Value, ct));
                }

                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
