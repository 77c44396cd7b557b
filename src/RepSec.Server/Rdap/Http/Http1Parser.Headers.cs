using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RepSec.Server.Rdap.Http;

/// <summary>Header lines, and what the headers decide: Host, the body's framing, keep-alive.</summary>
internal static partial class Http1Parser
{
    // A header name the pipeline reads is kept as one shared string instead of a new one per request.
    private static readonly string[] KnownNames =
    [
        HeaderNames.Host, HeaderNames.Authorization, HeaderNames.Accept, HeaderNames.Connection, HeaderNames.UserAgent,
        HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.AcceptEncoding, HeaderNames.AcceptLanguage,
        HeaderNames.Origin, HeaderNames.IfNoneMatch, HeaderNames.IfModifiedSince, HeaderNames.CacheControl, "Accept-Signature",
        HeaderNames.Referer, HeaderNames.Expect, HeaderNames.Upgrade, HeaderNames.Pragma, HeaderNames.Cookie,
    ];

    private static bool TryParseHeader(ReadOnlySpan<byte> line, Http1Request request, out Http1Error error)
    {
        error = default;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].ContainsAnyExcept(Token))
        {
            // Also a line starting with whitespace: an obsolete folded continuation (RFC 9112 section 5.2).
            error = BadRequest("a header line is not a field name, a colon and a value");
            return false;
        }

        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or > 0x7E)
            {
                error = BadRequest("a header value holds a control character or a byte outside ASCII");
                return false;
            }
        }

        // Appended by hand: HeaderDictionary's Append drops an empty value, and an empty Authorization is still one sent.
        var name = Name(line[..colon]);
        var text = value.IsEmpty ? "" : Encoding.ASCII.GetString(value);
        var existing = request.Headers[name];
        request.Headers[name] = existing.Count == 0 ? new StringValues(text) : StringValues.Concat(existing, text);
        return true;
    }

    /// <summary>Host, the body's framing, and whether the connection stays open.</summary>
    private static bool TryCheckFraming(Http1Request request, out Http1Error error)
    {
        error = default;
        IHeaderDictionary headers = request.Headers;
        var host = headers.Host;
        if (host.Count > 1 || (host.Count == 0 && !request.Http10) || (host.Count == 1 && !ValidHost(host[0]!)))
        {
            error = BadRequest("an HTTP/1.1 request needs exactly one valid Host header");
            return false;
        }

        if (request.Authority is { } authority)
        {
            if (!ValidHost(authority))
            {
                error = BadRequest("the absolute request target names an invalid host");
                return false;
            }

            headers.Host = authority;
        }

        var length = headers.ContentLength;
        if (headers[HeaderNames.ContentLength].Count > 0 && length is null)
        {
            error = BadRequest("the Content-Length header is not one number");
            return false;
        }

        var transferEncoding = headers.TransferEncoding.Count > 0;
        if (transferEncoding && request.Http10)
        {
            error = BadRequest("HTTP/1.0 has no Transfer-Encoding");
            return false;
        }

        request.HasBody = length > 0 || transferEncoding;
        var keepAlive = !request.Http10;
        var closeSeen = false;
        foreach (var value in headers.Connection)
        {
            foreach (var option in (value ?? "").Split(','))
            {
                var token = option.Trim();
                if (token.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    closeSeen = true;
                }
                else if (token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) && request.Http10)
                {
                    keepAlive = true;
                }
            }
        }

        // "close" from either side ends the connection, whatever else the header says (RFC 9112 section 9.6).
        request.KeepAlive = keepAlive && !closeSeen;
        return true;
    }

    /// <summary>A host and optional port: registered name, IPv4 or bracketed IPv6 characters only (RFC 9110 section 7.2).</summary>
    private static bool ValidHost(string host)
    {
        if (host.Length == 0)
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '[' or ']' or '%' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Name(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownNames)
        {
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        return Encoding.ASCII.GetString(name);
    }
}
