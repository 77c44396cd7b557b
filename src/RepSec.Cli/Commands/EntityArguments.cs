using System.CommandLine;

namespace RepSec.Cli.Commands;

/// <summary>The entity argument and type option the entity commands share.</summary>
internal static class EntityArguments
{
    public static Argument<string> Entity(string description) => new("entity") { Description = description };

    public static Option<string> Type(bool required) => new("--type")
    {
        Description = required
            ? "The entity type: domain, ip, asn, userid or organization"
            : "The entity type: domain, ip, asn, userid or organization (optional when the entity is unambiguous)",
        HelpName = "type",
        Required = required,
    };
}
