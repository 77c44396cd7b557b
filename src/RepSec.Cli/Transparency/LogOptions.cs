using System.CommandLine;
using RepSec.Client.Transparency;

namespace RepSec.Cli.Transparency;

/// <summary>The options of the commands that check the transparency log: which key to trust and where to remember it.</summary>
internal sealed class LogOptions
{
    public LogOptions(bool recursive)
    {
        LogKey = new("--log-key")
        {
            Description = "The log's verifier key to trust (default: $REPSEC_LOG_KEY, else the key pinned in the state file, else the server's on first use)",
            HelpName = "key",
            Recursive = recursive,
        };
        LogKey.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !LogVerifier.IsVerifierKey(t.Value)))
            {
                result.AddError($"--log-key '{token.Value}' is not a verifier key (NAME+hex(keyhash)+base64(0x01 || key))");
            }
        });
        State = new("--state")
        {
            Description = "The file that remembers the pinned key and the last checkpoint (default: $REPSEC_LOG_STATE, else $XDG_STATE_HOME/repsec/HOST_PORT.json)",
            HelpName = "file",
            Recursive = recursive,
        };
    }

    public Option<string> LogKey { get; }

    public Option<string> State { get; }

    public IEnumerable<Option> All => [LogKey, State];
}
