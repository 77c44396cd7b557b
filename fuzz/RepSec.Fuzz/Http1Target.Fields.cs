using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RepSec.Server.Rdap.Http;

namespace RepSec.Fuzz;

internal static partial class Http1Target
{
    /// <summary>
    /// The fields of a completed request against the bytes of its head (without skipped empty lines): the request
    /// line as sent, a token method, an origin-form or <c>*</c> target split into path and query, header fields of
    /// visible ASCII only, one Host in HTTP/1.1, and the body and keep-alive flags the headers call for.
    /// </summary>
    private static void CheckFields(ReadOnlySpan<byte> head, Http1Request request, Http1Limits limits)
    {
        var method = request.Method;
        Invariant.That(method.Length > 0 && method.All(c => c < 0x80 && Http1Parser.Token.Contains((byte)c)), $"the method '{method}' is not a token");
        var line = Encoding.ASCII.GetString(head[..(head.IndexOf((byte)'\n') + 1)]);
        var version = request.Http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n";
        Invariant.That(line.StartsWith(method + " ", StringComparison.Ordinal) && line.EndsWith(version, StringComparison.Ordinal),
            $"the request line '{line.TrimEnd()}' is not method '{method}', a target and{version.TrimEnd()}");
        CheckTarget(line[(method.Length + 1)..^version.Length], request);

        var headers = request.Headers;
        var values = 0;
        foreach (var (name, fieldValues) in headers)
        {
            Invariant.That(name.Length > 0 && name.All(c => c < 0x80 && Http1Parser.Token.Contains((byte)c)), $"the header name '{name}' is not a token");
            foreach (var sent in fieldValues)
            {
                values++;
                var value = sent ?? throw new InvariantViolationException($"a null {name} value");
                Invariant.That(!value.Any(c => c is < ' ' and not '\t' or > '~'), $"the {name} value '{value}' holds a control character or non-ASCII");
                Invariant.That(value.Trim(' ', '\t').Length == value.Length, $"the {name} value '{value}' keeps surrounding whitespace");
            }
        }

        // The Host an absolute-form target names replaces the field, and may add one to the count.
        Invariant.That(values <= limits.MaxHeaderCount + (request.Authority is null ? 0 : 1), $"{values} header values under a limit of {limits.MaxHeaderCount}");
        var host = headers[HeaderNames.Host];
        Invariant.That(host.Count == 1 || (request.Http10 && host.Count == 0), $"an HTTP/1.{(request.Http10 ? 0 : 1)} request with {host.Count} Host values");
        Invariant.That(host.Count == 0 || host.ToString().All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '[' or ']' or '%' or '~'),
            $"the Host '{host}' holds a character no host or port has");
        Invariant.That(request.Authority is null || host.ToString() == request.Authority, $"Host '{host}' is not the authority '{request.Authority}'");

        var contentLength = headers[HeaderNames.ContentLength];
        long length = 0;
        Invariant.That(contentLength.Count == 0 || (contentLength.Count == 1 && long.TryParse(contentLength[0], NumberStyles.None, CultureInfo.InvariantCulture, out length)),
            $"Content-Length '{contentLength}' is not one number");
        var chunked = headers[HeaderNames.TransferEncoding].Count > 0;
        Invariant.That(!(chunked && request.Http10), "an HTTP/1.0 request with Transfer-Encoding");
        Invariant.That(request.HasBody == (length > 0 || chunked), $"HasBody is {request.HasBody} for Content-Length {length} and Transfer-Encoding {chunked}");

        var options = headers[HeaderNames.Connection].SelectMany(v => v!.Split(',')).Select(o => o.Trim()).ToList();
        var close = options.Contains("close", StringComparer.OrdinalIgnoreCase);
        var keepAlive = options.Contains("keep-alive", StringComparer.OrdinalIgnoreCase);
        Invariant.That(request.KeepAlive == (!close && (!request.Http10 || keepAlive)),
            $"KeepAlive is {request.KeepAlive} for HTTP/1.{(request.Http10 ? 0 : 1)} with Connection '{headers[HeaderNames.Connection]}'");
    }

    /// <summary>The target as sent: origin form, <c>*</c> for OPTIONS, or an absolute URI whose authority and path were taken apart.</summary>
    private static void CheckTarget(string sent, Http1Request request)
    {
        var raw = request.RawTarget;
        Invariant.That(sent.Length > 0 && !sent.Any(c => c is <= ' ' or > '~') && !sent.Contains("%00", StringComparison.Ordinal),
            $"the target '{sent}' holds a space, a control character, non-ASCII or %00");
        if (raw == "*")
        {
            Invariant.That(sent == "*" && request.Method == HttpMethods.Options && request.Path.Length == 0 && request.Query.Length == 0 && request.Authority is null,
                $"'*' read from {request.Method} '{sent}', path '{request.Path}', query '{request.Query}'");
            return;
        }

        Invariant.That(raw.StartsWith('/'), $"the target '{raw}' is neither a path nor '*'");
        Invariant.That(request.Path + request.Query == raw && !request.Path.Contains('?', StringComparison.Ordinal)
            && (request.Query.Length == 0 || request.Query[0] == '?'), $"'{raw}' split into path '{request.Path}' and query '{request.Query}'");
        if (request.Authority is not { } authority)
        {
            Invariant.That(sent == raw, $"the target '{raw}' is not the '{sent}' sent");
            return;
        }

        var scheme = sent.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8 : sent.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7 : 0;
        Invariant.That(scheme > 0 && sent[scheme..].StartsWith(authority, StringComparison.Ordinal) && authority.Length > 0 && !authority.Contains('@', StringComparison.Ordinal),
            $"the authority '{authority}' is not the one in '{sent}'");
        var rest = sent[(scheme + authority.Length)..];
        Invariant.That(rest.Length == 0 || rest[0] is '/' or '?', $"the authority '{authority}' of '{sent}' stops short");
        Invariant.That(raw == (rest.StartsWith('/') ? rest : "/" + rest), $"the path and query '{raw}' of '{sent}' are not what follows the authority");
    }

    /// <summary>The same result from the same bytes: every field, and every header with its values in order.</summary>
    private static void SameFields(Http1Request a, Http1Request b, string which)
    {
        Invariant.That(a.Method == b.Method && a.RawTarget == b.RawTarget && a.Path == b.Path && a.Query == b.Query && a.Authority == b.Authority,
            $"{which} differ in the request line: {a.Method} {a.RawTarget} ({a.Path}|{a.Query}|{a.Authority}) against {b.Method} {b.RawTarget} ({b.Path}|{b.Query}|{b.Authority})");
        Invariant.That(a.Http10 == b.Http10 && a.KeepAlive == b.KeepAlive && a.HasBody == b.HasBody,
            $"{which} differ in version, keep-alive or body: {a.Http10}/{a.KeepAlive}/{a.HasBody} against {b.Http10}/{b.KeepAlive}/{b.HasBody}");
        Invariant.That(a.Headers.Count == b.Headers.Count, $"{which} hold {a.Headers.Count} and {b.Headers.Count} headers");
        foreach (var (name, values) in a.Headers)
        {
            Invariant.That(b.Headers.TryGetValue(name, out var other) && values.Equals(other), $"{which} differ in {name}: '{values}' against '{other}'");
        }
    }
}
