using System.CommandLine;
using RepSec.Server.Admin;

namespace RepSec.Server;

/// <summary>
/// <c>repsecd</c> (or <c>repsecd serve</c>) runs the server; <c>repsecd token ...</c>, <c>repsecd cert ...</c> and <c>repsecd user ...</c>
/// manage credentials in the data directory, also while the server runs.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Requests are short and never block a thread (writes await the group commit, slow hashing runs on the
        // pool), so socket completions run where epoll reports them, one event loop per core, instead of hopping
        // to the thread pool: about a fifth more requests per second on a small machine. Set either variable to
        // choose otherwise; they must be set before the first socket exists.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT",
                Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var parsed = BuildCommand().Parse(args);
        if (MisplacedServeOptions(parsed) is { } misplaced)
        {
            await Console.Error.WriteLineAsync(misplaced);
            return ExitCodes.Usage;
        }

        // The host's lifetime (the console's, or systemd's under a service manager) turns SIGTERM and Ctrl+C into a
        // graceful stop; the parser's own handler would end the process with 143 before the requests in flight finish.
        var code = await parsed.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
        // The parser reports a command line it refuses with 1; repsecd's usage errors are 2 (Admin/ExitCodes).
        return parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction ? ExitCodes.Usage : code;
    }

    /// <summary>
    /// <c>repsecd --data X token issue</c>: options before a command are the server's own (<c>repsecd</c> alone is
    /// <c>repsecd serve</c>), so the command would not see them and would use ./data. Refused, saying where they go.
    /// </summary>
    internal static string? MisplacedServeOptions(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (command == parsed.RootCommandResult.Command || command.Name == "serve")
        {
            return null;
        }

        var given = parsed.RootCommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Where(o => !o.Implicit).Select(o => o.Option.Name).ToList();
        if (given.Count == 0)
        {
            return null;
        }

        var path = string.Join(' ', Path(parsed.CommandResult));
        return $"repsecd: {string.Join(", ", given)} before '{path}' would be ignored: put options after the command (repsecd {path} {given[0]} ...)";

        static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result) =>
            result.Parent is System.CommandLine.Parsing.CommandResult parent && parent.Parent is not null
                ? Path(parent).Append(result.Command.Name)
                : [result.Command.Name];
    }

    internal static RootCommand BuildCommand()
    {
        var root = new RootCommand("repsecd: the RepSec server (RepSec over TLS on 4655, RDAP over HTTPS on 8443)");
        var serve = new Command("serve", "Run the server (the default)");
        ServeCommand.Configure(root);
        ServeCommand.Configure(serve);
        root.Add(serve);
        root.Add(TokenCommands.Build());
        root.Add(CertificateCommands.Build());
        root.Add(UserCommands.Build());
        root.Add(LogCommands.Build());
        return root;
    }
}
