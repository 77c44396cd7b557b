using System.Text.Json;

namespace RepSec.Client;

/// <summary>The answer to PING.</summary>
/// <param name="ServerTime">The server's clock when it answered.</param>
public sealed record PingResult(DateTimeOffset ServerTime)
{
    /// <summary>The whole response object, as the server sent it.</summary>
    public JsonElement Raw { get; init; }
}
