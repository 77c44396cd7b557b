using System.CommandLine;
using System.Globalization;
using RepSec.Client.Rdap;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec rdap domain|ip|autnum|entity|search|help</c>: RDAP queries over HTTPS with Basic, Digest, bearer
/// token or client-certificate authentication.
/// </summary>
internal static class RdapCommand
{
    public static Command Create(Func<ParseResult, RdapCliContext> contextFor, RdapCliOptions options)
    {
        var command = new Command("rdap", "Query the registry over RDAP (HTTPS); --user with $REPSEC_PASSWORD or --password-stdin authenticates");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(Lookup("domain", "NAME", "A domain (A-label or U-label)", contextFor, (c, v, ct) => c.DomainAsync(v, ct)));
        command.Subcommands.Add(Lookup("ip", "ADDRESS", "An IP address or prefix (most specific registered network)", contextFor, (c, v, ct) => c.IpAsync(v, ct)));
        command.Subcommands.Add(Lookup("autnum", "NUMBER", "An AS number", contextFor, (c, v, ct) =>
            uint.TryParse(v.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? v[2..] : v, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? c.AutnumAsync(n, ct)
                : throw new ArgumentException($"'{v}' is not an AS number")));
        command.Subcommands.Add(Lookup("entity", "HANDLE", "An entity handle (userid:ID, organization:NAME, principal:NAME)", contextFor, (c, v, ct) => c.EntityAsync(v, ct)));
        command.Subcommands.Add(Search(contextFor));
        var help = new Command("help", "The server's RDAP help");
        help.SetAction((parse, ct) => contextFor(parse).RunAsync((client, token) => client.HelpAsync(token), ct));
        command.Subcommands.Add(help);
        return command;
    }

    private static Command Lookup(string name, string argumentName, string description, Func<ParseResult, RdapCliContext> contextFor,
        Func<RdapClient, string, CancellationToken, Task<RdapResponse>> query)
    {
        var value = new Argument<string>(argumentName.ToLowerInvariant()) { Description = description, HelpName = argumentName };
        var command = new Command(name, $"Look up {description[0..1].ToLowerInvariant()}{description[1..]}") { value };
        command.SetAction((parse, ct) => contextFor(parse).RunAsync((client, token) => query(client, parse.GetValue(value)!, token), ct));
        return command;
    }

    private static Command Search(Func<ParseResult, RdapCliContext> contextFor)
    {
        var kind = new Argument<string>("kind") { Description = "domains or entities" };
        kind.AcceptOnlyFromAmong("domains", "entities");
        var pattern = new Argument<string>("pattern") { Description = "A name, or a prefix ending in *" };
        var by = new Option<string>("--by") { Description = "For entities: fn (default) or handle", DefaultValueFactory = _ => "fn" };
        by.AcceptOnlyFromAmong("fn", "handle");
        var sort = new Option<string?>("--sort") { Description = "RFC 8977 sort, such as name:d or registrationDate" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue a search from the cursor a previous page printed" };
        var command = new Command("search", "Search domains by name or entities by fn or handle (paged)") { kind, pattern, by, sort, cursor };
        command.SetAction((parse, ct) => contextFor(parse).RunAsync((client, token) => parse.GetValue(kind) == "domains"
            ? client.SearchDomainsAsync(parse.GetValue(pattern)!, parse.GetValue(sort), parse.GetValue(cursor), token)
            : client.SearchEntitiesAsync(parse.GetValue(by)!, parse.GetValue(pattern)!, parse.GetValue(sort), parse.GetValue(cursor), token), ct));
        return command;
    }
}

/// <summary>The options of <c>repsec rdap</c>, on top of the global TLS, token and output options.</summary>
internal sealed class RdapCliOptions
{
    public Option<string> Url { get; } = new("--rdap")
    {
        Description = "The RDAP base URL (default: $REPSEC_RDAP, else https://localhost:8443/rdap/)",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string> User { get; } = new("--user")
    {
        Description = "Principal name for HTTP Basic (or Digest with --digest); the password comes from $REPSEC_PASSWORD or --password-stdin",
        HelpName = "name",
        Recursive = true,
    };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the password from standard input", Recursive = true };

    public Option<bool> Digest { get; } = new("--digest") { Description = "Use HTTP Digest (RFC 7616) instead of Basic", Recursive = true };

    public Option<bool> VerifySignature { get; } = new("--verify-signature")
    {
        Description = "Ask for an RFC 9421 signed response and verify it against the server's published key",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, User, PasswordStdin, Digest, VerifySignature];
}
