using System.Text.RegularExpressions;

namespace RepSec.Core.Security;

/// <summary>Who a request acts as.</summary>
public sealed partial record Principal(string Name, Role Role)
{
    public static Principal Anonymous { get; } = new("anonymous", Role.None);

    public bool IsAnonymous => Role == Role.None;

    /// <summary>Principal names: 1-64 characters of letters, digits, dot, dash, underscore, at; "anonymous" is reserved.</summary>
    public static bool IsValidName(string name) =>
        NamePattern().IsMatch(name) && !string.Equals(name, Anonymous.Name, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
