using System.CommandLine;
using RepSec.Cli.Transparency;
using RepSec.Client;
using RepSec.Client.Transparency;
using RepSec.Protocol.Transparency;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec log checkpoint|watch</c>: the server's signed transparency log. Both verify the latest checkpoint and
/// that it extends the one remembered from the last run, then remember it.
/// </summary>
internal static class LogCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var options = new LogOptions(recursive: true);
        var command = new Command("log", "Check the server's signed transparency log (no token needed)");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        var checkpoint = new Command("checkpoint", "Print the log's latest checkpoint (a signed note) once its signature and consistency check");
        checkpoint.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            return context.RunAsync(async (client, ct) =>
            {
                var (result, _, _) = await ObserveAsync(context, parseResult, options, client, ct);
                await context.Output.CheckpointAsync(result);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        command.Subcommands.Add(checkpoint);
        command.Subcommands.Add(Watch(contextFor, options));
        return command;
    }

    private static Command Watch(Func<ParseResult, CliContext> contextFor, LogOptions options)
    {
        var follow = new Option<bool>("--follow") { Description = "Keep checking, every --interval seconds, until a check fails or Ctrl+C" };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between checks with --follow",
            HelpName = "seconds",
            DefaultValueFactory = _ => 60,
        };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or double.NaN or double.PositiveInfinity)
            {
                result.AddError("--interval must be a positive number of seconds");
            }
        });
        var watch = new Command("watch", "Check that the log still extends the checkpoint seen last (a fork or a shrink exits with 10), then remember the new one")
        {
            follow,
            interval,
        };
        watch.SetAction(async (parseResult, cancellationToken) =>
        {
            while (true)
            {
                // A fresh connection per check: an idle connection would be closed by the server between checks.
                var context = contextFor(parseResult);
                var exit = await context.RunAsync(async (client, ct) =>
                {
                    var (result, previous, latest) = await ObserveAsync(context, parseResult, options, client, ct);
                    await context.Output.WatchAsync(result, previous, latest);
                    return ExitCodes.Success;
                }, cancellationToken);
                if (exit != ExitCodes.Success || !parseResult.GetValue(follow))
                {
                    return exit;
                }

                await Task.Delay(TimeSpan.FromSeconds(parseResult.GetValue(interval)), cancellationToken);
            }
        });
        return watch;
    }

    /// <summary>CHECKPOINT, verified under the pinned key, then checked against and saved over the remembered one.</summary>
    private static async Task<(CheckpointResult Result, Checkpoint? Previous, Checkpoint Latest)> ObserveAsync(
        CliContext context, ParseResult parseResult, LogOptions options, RepSecClient client, CancellationToken cancellationToken)
    {
        var monitor = LogMonitor.For(context, parseResult, options);
        var key = await monitor.PinAsync(client, cancellationToken);
        var result = await client.CheckpointAsync(cancellationToken);
        var verification = LogVerifier.VerifyCheckpoint(result, key);
        if (!verification.Verified)
        {
            throw CommandFailedException.Verification($"VERIFICATION FAILED: the log's checkpoint: {string.Join("; ", verification.Failures)}");
        }

        var previous = await monitor.AdvanceAsync(client, result.Checkpoint, verification.Checkpoint, cancellationToken);
        return (result, previous, verification.Checkpoint);
    }
}
