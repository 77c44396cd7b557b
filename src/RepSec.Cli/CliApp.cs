using System.CommandLine;
using System.CommandLine.Invocation;
using RepSec.Cli.Commands;

namespace RepSec.Cli;

/// <summary>The <c>repsec</c> command line, callable in-process with its own output writers.</summary>
public static class CliApp
{
    private const string Description = """
        repsec: the RepSec command-line client. Registers, verifies, removes and audits entities on a RepSec server over TLS,
        reports them and reads their reputation (report, reputation, changes ...), and queries it over RDAP (repsec rdap ...).

        Environment: REPSEC_SERVER, REPSEC_CA, REPSEC_TOKEN and REPSEC_RDAP are the defaults of --server, --ca, --token and --rdap;
        REPSEC_PASSWORD is the password for --user. REPSEC_LOG_KEY and REPSEC_LOG_STATE are the defaults of --log-key and --state
        (audit --verify, log): the transparency log's verifier key, and the file that pins it and keeps the last checkpoint
        (default $XDG_STATE_HOME/repsec/HOST_PORT.json, else ~/.local/state/repsec/HOST_PORT.json).


        """ + ExitCodes.Help;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments, without the program name.</param>
    /// <param name="stdout">Where results and help go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="stdin">Where <c>--password-stdin</c> reads; defaults to the console.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = BuildCommand(stdout, stderr, stdin ?? Console.In);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction)
        {
            // Short and prefixed like the other errors; the full help is one --help away.
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"repsec: {error.Message}");
            }

            var command = parseResult.CommandResult.Command;
            if (parseResult.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-')) is { } option && ClosestOption(root, command, option) is { } nearest)
            {
                await stderr.WriteLineAsync($"Did you mean '{nearest}'?");
            }
            else if (parseResult.UnmatchedTokens.FirstOrDefault() is { } unknown && ClosestCommand(command, unknown) is { } suggestion)
            {
                await stderr.WriteLineAsync($"Did you mean '{(command == root ? "repsec" : $"repsec {command.Name}")} {suggestion}'?");
            }

            await stderr.WriteLineAsync($"Try '{(command == root ? "repsec" : $"repsec {command.Name}")} --help'.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parseResult.InvokeAsync(configuration);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("repsec: interrupted");
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // the last resort: a bug must still end with a message and a documented exit code
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"repsec: unexpected failure: {exception}");
            return ExitCodes.ServerError;
        }
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        var globals = new GlobalOptions();
        var rdap = new RdapCliOptions();
        CliContext ContextFor(ParseResult parseResult) => new(parseResult, globals, stdout, stderr);
        RdapCliContext RdapContextFor(ParseResult parseResult) => new(parseResult, globals, rdap, stdin, stdout, stderr);
        var root = new RootCommand(Description) { HelpName = "repsec" };
        foreach (var option in globals.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(PingCommand.Create(ContextFor));
        root.Subcommands.Add(HelloCommand.Create(ContextFor));
        root.Subcommands.Add(RegisterCommand.Create(ContextFor));
        root.Subcommands.Add(VerifyCommand.Create(ContextFor));
        root.Subcommands.Add(RemoveCommand.Create(ContextFor));
        root.Subcommands.Add(AuditCommand.Create(ContextFor));
        root.Subcommands.Add(ReportCommand.Create(ContextFor));
        root.Subcommands.Add(WithdrawCommand.Create(ContextFor));
        root.Subcommands.Add(ReputationCommand.Create(ContextFor));
        root.Subcommands.Add(ChangesCommand.Create(ContextFor));
        root.Subcommands.Add(AllowlistCommand.Create(ContextFor));
        root.Subcommands.Add(TrustCommand.Create(ContextFor));
        root.Subcommands.Add(ImportCommand.Create(ContextFor, stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(ContextFor, stdout, stderr));
        root.Subcommands.Add(LogCommand.Create(ContextFor));
        root.Subcommands.Add(RdapCommand.Create(RdapContextFor, rdap));
        return root;
    }

    /// <summary>The subcommand of <paramref name="command"/> within two edits of what was typed, if exactly one is nearest.</summary>
    internal static string? ClosestCommand(Command command, string typed) =>
        Closest(command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)), typed);

    /// <summary>The one option of <paramref name="command"/> or a global one within two edits of <paramref name="typed"/>, if any.</summary>
    internal static string? ClosestOption(Command root, Command command, string typed) =>
        Closest(command.Options.Concat(root.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Prepend(o.Name)), typed);

    private static string? Closest(IEnumerable<string> candidates, string typed)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        var scored = names.Select(name => (Name: name, Distance: EditDistance(typed.ToLowerInvariant(), name))).Where(n => n.Distance <= 2).ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var best = scored.Min(n => n.Distance);
        var nearest = scored.Where(n => n.Distance == best).Select(n => n.Name).ToList();
        return nearest.Count == 1 ? nearest[0] : null;
    }

    /// <summary>Levenshtein distance, with a swap of two neighbours counted as one edit.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
