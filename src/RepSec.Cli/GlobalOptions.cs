using System.CommandLine;
using RepSec.Client;

namespace RepSec.Cli;

/// <summary>Options every subcommand accepts; environment defaults are applied by <see cref="CliContext"/>.</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions()
    {
        Server.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    RepSecClient.ParseServer(token.Value);
                }
                catch (FormatException exception)
                {
                    result.AddError(exception.Message);
                }
            }
        });
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or double.NaN or double.PositiveInfinity)
            {
                result.AddError("--timeout must be a positive number of seconds");
            }
        });
        Ca.AcceptExistingOnly();
        Cert.AcceptExistingOnly();
        Key.AcceptExistingOnly();
    }

    public Option<string> Server { get; } = new("--server")
    {
        Description = $"The server as host, host:port or [v6]:port (default: $REPSEC_SERVER, else localhost:{RepSecClient.DefaultPort})",
        HelpName = "host:port",
        Recursive = true,
    };

    public Option<FileInfo> Ca { get; } = new("--ca")
    {
        Description = "A PEM file with the CA to trust for the server's certificate (default: $REPSEC_CA)",
        HelpName = "file",
        Recursive = true,
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Do not validate the server's certificate (development only)",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = "The bearer token for REGISTER, REMOVE, AUDIT, the reputation commands and RDAP (default: $REPSEC_TOKEN, which keeps it out of the process list)",
        HelpName = "token",
        Recursive = true,
    };

    public Option<FileInfo> Cert { get; } = new("--cert")
    {
        Description = "A PEM client certificate for mutual TLS (its key in --key, or in the same file)",
        HelpName = "file",
        Recursive = true,
    };

    public Option<FileInfo> Key { get; } = new("--key")
    {
        Description = "The PEM private key of --cert",
        HelpName = "file",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's response object as one line of JSON instead of text",
        Recursive = true,
    };

    public Option<double?> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for connecting and for each response (default: 30)",
        HelpName = "seconds",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Server, Ca, Insecure, Token, Cert, Key, Json, Timeout];
}
