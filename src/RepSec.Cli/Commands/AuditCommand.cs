using System.CommandLine;
using RepSec.Cli.Transparency;
using RepSec.Client.Transparency;

namespace RepSec.Cli.Commands;

/// <summary><c>repsec audit ENTITY [--verify]</c>: an entity's history, oldest first, optionally proven against the log.</summary>
internal static class AuditCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity whose history to show");
        var type = EntityArguments.Type(required: false);
        var verify = new Option<bool>("--verify")
        {
            Description = "Prove every entry is in the server's signed transparency log and the log extends the checkpoint seen last (exit code 10 if not)",
        };
        var log = new LogOptions(recursive: false);
        var command = new Command("audit", "Show an entity's history (needs a token: its owner, an auditor or an admin)") { entity, type, verify };
        foreach (var option in log.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var name = parseResult.GetValue(entity)!;
            var typeName = parseResult.GetValue(type);
            return context.RunAsync(async (client, ct) =>
            {
                if (!parseResult.GetValue(verify))
                {
                    await context.Output.AuditAsync(await client.AuditAsync(name, typeName, ct));
                    return ExitCodes.Success;
                }

                var monitor = LogMonitor.For(context, parseResult, log);
                var key = await monitor.PinAsync(client, ct);
                var audit = await client.AuditAsync(name, typeName, ct);
                var verification = LogVerifier.VerifyAudit(audit, name, typeName, key);
                if (!verification.Verified)
                {
                    throw CommandFailedException.Verification(
                        $"VERIFICATION FAILED for the history of {name}:\n{string.Join('\n', verification.Failures.Select(f => $"  {f.Check}: {f}"))}");
                }

                var previous = await monitor.AdvanceAsync(client, audit.Checkpoint!, verification.Checkpoint, ct);
                await context.Output.VerifiedAuditAsync(audit, verification, previous);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
