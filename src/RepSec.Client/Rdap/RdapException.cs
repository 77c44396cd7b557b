namespace RepSec.Client.Rdap;

/// <summary>An RDAP error answer (RFC 9083 section 6): its HTTP status, title and description.</summary>
public sealed class RdapException : Exception
{
    public RdapException()
    {
    }

    public RdapException(string message)
        : base(message)
    {
    }

    public RdapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RdapException(int statusCode, string title, string description, TimeSpan? retryAfter, string body)
        : base($"{statusCode} {title}: {description}")
    {
        StatusCode = statusCode;
        Title = title;
        Description = description;
        RetryAfter = retryAfter;
        Body = body;
    }

    /// <summary>The HTTP status (400, 401, 403, 404, 422, 429, 501, ...).</summary>
    public int StatusCode { get; }

    public string Title { get; } = "";

    public string Description { get; } = "";

    /// <summary>From <c>Retry-After</c> on a 429.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The error body as received.</summary>
    public string Body { get; } = "";
}
