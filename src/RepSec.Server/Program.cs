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
        // The host's lifetime (the console's, or systemd's under a service manager) turns SIGTERM and Ctrl+C into a
        // graceful stop; the parser's own handler would end the process with 143 before the requests in flight finish.
        var code = await parsed.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
        // The parser reports a command line it refuses with 1; repsecd's usage errors are 2 (Admin/ExitCodes).
        return parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction ? ExitCodes.Usage : code;
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
