namespace RepSec.Protocol.Signatures;

/// <summary>
/// A request's components from its parts: method, scheme, authority (host and optional port), the path and
/// query as sent in the request line, and the header fields (repeated names allowed, in order).
/// </summary>
public sealed class HttpRequestComponents : IHttpMessageComponents
{
    private readonly FieldMap _fields;
    private readonly string _method;
    private readonly string _scheme;
    private readonly string _authority;
    private readonly string _path;
    private readonly string _query;
    private readonly string _requestTarget;

    /// <summary>Describes a request; e.g. <c>("POST", "https", "example.com", "/foo?param=Value", headers)</c>.</summary>
    /// <exception cref="ArgumentException">The method, scheme or authority is empty, or the path does not start with '/'.</exception>
    public HttpRequestComponents(string method, string scheme, string authority, string pathAndQuery, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentException.ThrowIfNullOrEmpty(authority);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        _method = method;
        _scheme = scheme.ToLowerInvariant();
        _authority = NormalizeAuthority(_scheme, authority);

        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        _path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        _query = queryStart < 0 ? "?" : pathAndQuery[queryStart..];
        if (_path.Length == 0)
        {
            // RFC 9421 §2.2.6: an empty path is signed as "/".
            _path = "/";
        }
        else if (_path[0] != '/')
        {
            throw new ArgumentException("the path starts with '/'", nameof(pathAndQuery));
        }

        _requestTarget = queryStart < 0 ? _path : _path + _query;
        _fields = new FieldMap(headers);
    }

    /// <inheritdoc />
    public bool TryGetDerived(string name, out string value)
    {
        value = name switch
        {
            "@method" => _method,
            "@target-uri" => $"{_scheme}://{_authority}{_requestTarget}",
            "@authority" => _authority,
            "@scheme" => _scheme,
            "@request-target" => _requestTarget,
            "@path" => _path,
            // §2.2.7: the query keeps its leading '?', and an absent query is the '?' alone.
            "@query" => _query,
            _ => null!,
        };
        return value is not null;
    }

    /// <inheritdoc />
    public bool TryGetField(string lowercaseName, out string value) => _fields.TryGet(lowercaseName, out value);

    /// <summary>RFC 9421 §2.2.3: the host is lowercased and a default port is left out.</summary>
    private static string NormalizeAuthority(string scheme, string authority)
    {
        var lower = authority.ToLowerInvariant();
        var defaultPort = scheme switch
        {
            "https" => ":443",
            "http" => ":80",
            _ => null,
        };
        return defaultPort is not null && lower.EndsWith(defaultPort, StringComparison.Ordinal) ? lower[..^defaultPort.Length] : lower;
    }
}
