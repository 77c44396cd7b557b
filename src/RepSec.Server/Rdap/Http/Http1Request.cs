namespace RepSec.Server.Rdap.Http;

/// <summary>
/// One parsed HTTP/1.1 request head. A connection keeps one and reuses it for every request it reads; the
/// parser fills it. <see cref="Headers"/> holds every field as sent (repeats appended), for the RDAP pipeline.
/// </summary>
internal sealed class Http1Request
{
    public string Method { get; set; } = "";

    /// <summary>The request target as sent, or, for an absolute-form target, its path and query.</summary>
    public string RawTarget { get; set; } = "";

    /// <summary>The path part of the target, still percent-encoded.</summary>
    public string Path { get; set; } = "";

    /// <summary>The query, with its leading <c>?</c>, or empty.</summary>
    public string Query { get; set; } = "";

    /// <summary>The authority of an absolute-form target, which replaces the Host field (RFC 9112 section 3.2.2).</summary>
    public string? Authority { get; set; }

    public bool Http10 { get; set; }

    /// <summary>False when the client asked for the connection to close after this request (or sent HTTP/1.0 without keep-alive).</summary>
    public bool KeepAlive { get; set; }

    /// <summary>A body was announced (Content-Length above 0 or Transfer-Encoding): it is never read, so the connection closes after the answer.</summary>
    public bool HasBody { get; set; }

    public HeaderDictionary Headers { get; } = new();

    public void Reset()
    {
        Headers.Clear();
        Authority = null;
        Query = "";
        HasBody = false;
    }
}
