namespace RepSec.Protocol.Parsing;

/// <summary>Bounds applied to every line; advertised by HELLO.</summary>
public sealed record ParserLimits
{
    public static ParserLimits Default { get; } = new();

    /// <summary>Bytes per line, without the line terminator.</summary>
    public int MaxLineBytes { get; init; } = 65_536;

    /// <summary>Nesting depth of JSON containers; the request object itself is depth 1.</summary>
    public int MaxJsonDepth { get; init; } = 32;
}
