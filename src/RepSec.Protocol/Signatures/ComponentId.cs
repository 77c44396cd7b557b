namespace RepSec.Protocol.Signatures;

/// <summary>
/// A covered component (RFC 9421 §2): a derived component such as <c>@status</c> or a lowercase HTTP field
/// name, optionally taken from the request that a signed response answers (the <c>req</c> parameter, §2.4).
/// A string converts implicitly, so <c>["@status", "content-digest"]</c> is a list of components.
/// </summary>
/// <param name="Name">The component name: <c>@method</c>, <c>@target-uri</c>, <c>@authority</c>, <c>@scheme</c>,
/// <c>@request-target</c>, <c>@path</c>, <c>@query</c>, <c>@status</c>, or a lowercase field name.</param>
/// <param name="FromRequest">Whether the value comes from the related request rather than from this message.</param>
public readonly record struct ComponentId(string Name, bool FromRequest = false)
{
    /// <summary>The derived components this implementation can compute.</summary>
    public static IReadOnlyList<string> DerivedComponents { get; } =
        ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query", "@status"];

    /// <summary>The component <paramref name="name"/>, taken from this message.</summary>
    public static implicit operator ComponentId(string name) => new(name);

    /// <summary>The component <paramref name="name"/>, taken from this message.</summary>
    public static ComponentId FromString(string name) => new(name);

    /// <summary>The same component, taken from the related request (<c>;req</c>).</summary>
    public ComponentId OfRequest() => this with { FromRequest = true };

    /// <summary>Whether the name is a supported derived component or a well-formed lowercase field name.</summary>
    public bool IsValid =>
        Name is not null && (Name.StartsWith('@')
            ? DerivedComponents.Contains(Name, StringComparer.Ordinal)
            : Name.Length > 0 && Name.All(IsLowercaseTokenChar));

    /// <summary>The identifier as it appears in a signature base and in Signature-Input, e.g. <c>"@method";req</c>.</summary>
    public override string ToString() => FromRequest ? $"\"{Name}\";req" : $"\"{Name}\"";

    private static bool IsLowercaseTokenChar(char c) => StructuredFieldParser.IsTokenChar(c) && c is not ((>= 'A' and <= 'Z') or ':' or '/');
}
