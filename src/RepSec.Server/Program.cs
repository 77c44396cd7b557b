using System.CommandLine;
using RepSec.Server.Admin;

namespace RepSec.Server;

/// <summary>
/// <c>repsecd</c> (or <c>repsecd serve</c>) runs the server; <c>repsecd token ...</c>, <c>repsecd cert ...</c> and <c>repsecd user ...</c>
/// manage credentials in the data directory, also while the server runs.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BuildCommand().Parse(args).InvokeAsync();

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
        return root;
    }
}
