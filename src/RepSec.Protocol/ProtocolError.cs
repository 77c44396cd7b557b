namespace RepSec.Protocol;

/// <summary>A request that cannot be served: a status, a stable <c>error</c> code and a human message.</summary>
public sealed record ProtocolError(int Status, string Code, string Message)
{
    /// <summary>Seconds the client should wait before retrying; only for 429.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Whether the response should carry <c>server_time</c> (failed freshness checks).</summary>
    public bool IncludeServerTime { get; init; }

    public static ProtocolError BadRequest(string code, string message) => new(StatusCodes.BadRequest, code, message);
}
