using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RepSec.Server.Rdap.Http;

/// <summary>The bounds of one request head: the request line, and all header lines together.</summary>
internal readonly record struct Http1Limits(int MaxRequestLineBytes, int MaxHeaderBytes, int MaxHeaderCount)
{
    /// <summary>
    /// The most a connection ever buffers before the parser has either a request or an error: one byte more than
    /// the longest input it can call incomplete (two skipped empty lines, a whole request line, whole headers).
    /// </summary>
    public int MaxBufferedBytes => SkippedEmptyLineBytes + MaxRequestLineBytes + MaxHeaderBytes + 1;

    /// <summary>How many bytes of empty lines before a request line are skipped: two CRLFs.</summary>
    public const int SkippedEmptyLineBytes = 4;
}

/// <summary>Why a request head was refused: the status to answer with, and a sentence for the RDAP error body.</summary>
internal readonly record struct Http1Error(int Status, string Title, string Description)
{
    /// <summary>The RDAP error object (RFC 9083 section 6) answering it.</summary>
    public void WriteBody(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("rdapConformance");
        json.WriteStringValue("rdap_level_0");
        json.WriteEndArray();
        json.WriteNumber("errorCode", Status);
        json.WriteString("title", Title);
        json.WriteStartArray("description");
        json.WriteStringValue(Description);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

internal enum Http1ParseResult
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,
    Complete,
    Error,
}

/// <summary>
/// Parses an HTTP/1.1 request head (RFC 9112) from bytes, synchronously and without I/O: a request or an error
/// out, never an exception. Strict where laxness lets two parsers disagree about where a request ends: lines end
/// in CRLF, no folded or whitespace-prefixed header lines, no space before a colon, only visible ASCII in targets
/// and header values, exactly one Host in HTTP/1.1. Bodies are never read; one announced marks the request.
/// </summary>
internal static partial class Http1Parser
{
    /// <summary>The answer to a target that encodes a NUL anywhere, over HTTP/1.1 here and over HTTP/2 by <see cref="Http2TargetGuard"/>.</summary>
    internal static readonly Http1Error NulTarget = BadRequest("the request target encodes a NUL character");

    internal static readonly SearchValues<byte> Token = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static Http1ParseResult TryParse(ReadOnlySpan<byte> input, Http1Limits limits, Http1Request request, out int consumed, out Http1Error error)
    {
        consumed = 0;
        error = default;
        // An empty line or two before the request line, left by a client after an earlier body, are skipped (RFC 9112 section 2.2).
        var skipped = 0;
        while (skipped < Http1Limits.SkippedEmptyLineBytes && input[skipped..].StartsWith("\r\n"u8))
        {
            skipped += 2;
        }

        input = input[skipped..];
        var lineEnd = input.IndexOf((byte)'\n');
        if (lineEnd < 0 || lineEnd + 1 > limits.MaxRequestLineBytes)
        {
            if (lineEnd < 0 && input.Length <= limits.MaxRequestLineBytes)
            {
                return Http1ParseResult.Incomplete;
            }

            error = new Http1Error(414, "URI Too Long", $"the request line is longer than {limits.MaxRequestLineBytes} bytes");
            return Http1ParseResult.Error;
        }

        request.Reset();
        if (!TryParseRequestLine(input[..lineEnd], request, out error))
        {
            return Http1ParseResult.Error;
        }

        var position = lineEnd + 1;
        var headersStart = position;
        var count = 0;
        while (true)
        {
            var rest = input[position..];
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                if (position - headersStart + rest.Length > limits.MaxHeaderBytes)
                {
                    error = new Http1Error(431, "Request Header Fields Too Large", $"the request headers are larger than {limits.MaxHeaderBytes} bytes");
                    return Http1ParseResult.Error;
                }

                return Http1ParseResult.Incomplete;
            }

            position += end + 1;
            if (position - headersStart > limits.MaxHeaderBytes)
            {
                error = new Http1Error(431, "Request Header Fields Too Large", $"the request headers are larger than {limits.MaxHeaderBytes} bytes");
                return Http1ParseResult.Error;
            }

            var line = rest[..end];
            if (line.Length == 0 || line[^1] != (byte)'\r')
            {
                error = BadRequest("a line does not end in CRLF");
                return Http1ParseResult.Error;
            }

            line = line[..^1];
            if (line.IsEmpty)
            {
                break;
            }

            if (++count > limits.MaxHeaderCount)
            {
                error = new Http1Error(431, "Request Header Fields Too Large", $"more than {limits.MaxHeaderCount} request headers");
                return Http1ParseResult.Error;
            }

            if (!TryParseHeader(line, request, out error))
            {
                return Http1ParseResult.Error;
            }
        }

        if (!TryCheckFraming(request, out error))
        {
            return Http1ParseResult.Error;
        }

        consumed = skipped + position;
        return Http1ParseResult.Complete;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, Http1Request request, out Http1Error error)
    {
        error = default;
        if (line.IsEmpty || line[^1] != (byte)'\r')
        {
            error = BadRequest("the request line does not end in CRLF");
            return false;
        }

        line = line[..^1];
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || line[..space].ContainsAnyExcept(Token))
        {
            error = BadRequest("the request line does not start with a method");
            return false;
        }

        request.Method = Method(line[..space]);
        line = line[(space + 1)..];
        space = line.IndexOf((byte)' ');
        if (space <= 0 || line[..space].ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            error = BadRequest("the request target is missing or holds characters other than visible ASCII");
            return false;
        }

        var target = line[..space];
        var version = line[(space + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            request.Http10 = false;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            request.Http10 = true;
        }
        else
        {
            error = version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7])
                ? new Http1Error(505, "HTTP Version Not Supported", "this server speaks HTTP/1.0, HTTP/1.1 and HTTP/2")
                : BadRequest("the request line does not end in an HTTP version");
            return false;
        }

        return TryParseTarget(target, request, out error);
    }

    /// <summary>Whether a request target (path and query, as sent) encodes a NUL character: <see cref="NulTarget"/>.</summary>
    internal static bool EncodesNul(string target) => target.Contains("%00", StringComparison.Ordinal);

    /// <summary>Origin form (<c>/path?query</c>), absolute form (<c>https://host/path</c>), or <c>*</c> for OPTIONS (RFC 9112 section 3.2).</summary>
    private static bool TryParseTarget(ReadOnlySpan<byte> target, Http1Request request, out Http1Error error)
    {
        error = default;
        if (target.IndexOf("%00"u8) >= 0)
        {
            error = NulTarget;
            return false;
        }

        if (target[0] == (byte)'/')
        {
            var raw = Encoding.ASCII.GetString(target);
            request.RawTarget = raw;
            SplitQuery(raw, request);
            return true;
        }

        if (target.SequenceEqual("*"u8) && request.Method == HttpMethods.Options)
        {
            request.RawTarget = "*";
            request.Path = "";
            return true;
        }

        var scheme = StartsWithIgnoreCase(target, "https://"u8) ? 8 : StartsWithIgnoreCase(target, "http://"u8) ? 7 : 0;
        if (scheme == 0)
        {
            error = BadRequest("the request target is neither a path nor an absolute URI");
            return false;
        }

        var afterScheme = target[scheme..];
        var authorityEnd = afterScheme.IndexOfAny((byte)'/', (byte)'?');
        var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
        if (authority.IsEmpty || authority.Contains((byte)'@') || authority.Contains((byte)'#'))
        {
            error = BadRequest("the absolute request target has no usable authority");
            return false;
        }

        request.Authority = Encoding.ASCII.GetString(authority);
        var pathAndQuery = authorityEnd < 0 ? "/" : afterScheme[authorityEnd] == (byte)'?' ? "/" + Encoding.ASCII.GetString(afterScheme[authorityEnd..]) : Encoding.ASCII.GetString(afterScheme[authorityEnd..]);
        request.RawTarget = pathAndQuery;
        SplitQuery(pathAndQuery, request);
        return true;
    }

    /// <summary>
    /// RFC 3986 section 5.2.4: the path with its <c>.</c> and <c>..</c> segments resolved, as Kestrel resolves them in
    /// the paths it decodes; a <c>..</c> above the root stays at the root.
    /// </summary>
    internal static string RemoveDotSegments(string path)
    {
        if (!path.Contains("/.", StringComparison.Ordinal) && !path.StartsWith('.'))
        {
            return path;
        }

        var input = path.AsSpan();
        var output = new StringBuilder(path.Length);
        while (!input.IsEmpty)
        {
            if (input.StartsWith("../"))
            {
                input = input[3..];
            }
            else if (input.StartsWith("./"))
            {
                input = input[2..];
            }
            else if (input.StartsWith("/./"))
            {
                input = input[2..];
            }
            else if (input.SequenceEqual("/."))
            {
                input = "/";
            }
            else if (input.StartsWith("/../") || input.SequenceEqual("/.."))
            {
                input = input.Length == 3 ? "/" : input[3..];
                var last = output.ToString().LastIndexOf('/');
                output.Length = Math.Max(last, 0);
            }
            else if (input.SequenceEqual(".") || input.SequenceEqual(".."))
            {
                input = default;
            }
            else
            {
                var next = input[1..].IndexOf('/');
                var segment = next < 0 ? input : input[..(next + 1)];
                output.Append(segment);
                input = input[segment.Length..];
            }
        }

        return output.ToString();
    }

    private static void SplitQuery(string target, Http1Request request)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        (request.Path, request.Query) = question < 0 ? (target, "") : (target[..question], target[question..]);
    }

    private static string Method(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => HttpMethods.Get,
        _ when method.SequenceEqual("HEAD"u8) => HttpMethods.Head,
        _ when method.SequenceEqual("OPTIONS"u8) => HttpMethods.Options,
        _ => Encoding.ASCII.GetString(method),
    };

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> prefix) =>
        value.Length >= prefix.Length && Ascii.EqualsIgnoreCase(value[..prefix.Length], prefix);

    private static Http1Error BadRequest(string description) => new(400, "Bad Request", description);
}
