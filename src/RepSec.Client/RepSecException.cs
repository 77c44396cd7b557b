using System.Text.Json;

namespace RepSec.Client;

/// <summary>The server answered a request with a status other than 200, or with a response the client cannot read.</summary>
public sealed class RepSecException : Exception
{
    /// <summary>Creates an exception for a failed request.</summary>
    public RepSecException(
        int status, string error, string message, int? retryAfterSeconds = null, DateTimeOffset? serverTime = null,
        JsonElement? response = null)
        : base(message)
    {
        Status = status;
        Error = error;
        RetryAfterSeconds = retryAfterSeconds;
        ServerTime = serverTime;
        Response = response;
    }

    /// <summary>Creates an exception without a server response.</summary>
    public RepSecException()
        : this(0, "unknown", "The RepSec request failed")
    {
    }

    /// <summary>Creates an exception without a server response.</summary>
    public RepSecException(string message)
        : this(0, "unknown", message)
    {
    }

    /// <summary>Creates an exception without a server response, wrapping its cause.</summary>
    public RepSecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "unknown";
    }

    /// <summary>The response's status code (400, 401, 403, 404, 409, 429 or 500).</summary>
    public int Status { get; }

    /// <summary>The response's stable machine-readable <c>error</c> code, such as <c>not_found</c>.</summary>
    public string Error { get; }

    /// <summary>For 429 responses: how many seconds to wait before retrying.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>The server's clock, sent with failed freshness checks (<c>stale_timestamp</c>).</summary>
    public DateTimeOffset? ServerTime { get; }

    /// <summary>The whole response object.</summary>
    public JsonElement? Response { get; }
}
