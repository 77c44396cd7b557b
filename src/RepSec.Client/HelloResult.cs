using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to HELLO: the server's capabilities.</summary>
/// <param name="Protocol">The protocol version, <c>repsec/1</c>.</param>
/// <param name="Commands">The core commands the server accepts.</param>
/// <param name="Extensions">The extensions the server accepts.</param>
/// <param name="MaxLineBytes">The longest request line the server reads.</param>
/// <param name="MaxJsonDepth">The deepest JSON nesting the server reads (0 if not advertised).</param>
/// <param name="ReplayWindowSeconds">How far a request timestamp may be from the server's clock.</param>
/// <param name="AuthMethods">The authentication methods the server accepts, such as <c>token</c>.</param>
/// <param name="Server">The server software and version, when the operator exposes it.</param>
public sealed record HelloResult(
    string Protocol,
    IReadOnlyList<string> Commands,
    IReadOnlyList<ExtensionInfo> Extensions,
    int MaxLineBytes,
    int MaxJsonDepth,
    int ReplayWindowSeconds,
    IReadOnlyList<string> AuthMethods,
    string? Server)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
