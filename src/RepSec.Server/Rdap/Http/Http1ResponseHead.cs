using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// Writes an HTTP/1.1 response head: status line, the pipeline's headers, Date, Content-Length and, when the
/// connection ends with this answer, <c>Connection: close</c>. A header value with a control character or a
/// byte outside ASCII is refused (no response splitting), as Kestrel refuses it.
/// </summary>
internal static class Http1ResponseHead
{
    private static readonly ConcurrentDictionary<int, byte[]> StatusLines = new();

    // Control characters other than tab: a CR or LF in a value would end the header, or the head, early.
    private static readonly SearchValues<char> Unsendable = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private static DateLine _date = new(long.MinValue, []);

    /// <summary>False, with nothing written, when a header name or value cannot be sent.</summary>
    public static bool TryWrite(ArrayBufferWriter<byte> output, int status, HeaderDictionary headers, long? contentLength, bool close, TimeProvider time,
        bool announceKeepAlive = false, bool chunked = false)
    {
        if (status is < 100 or > 999)
        {
            return false;
        }

        foreach (var (name, values) in headers)
        {
            if (!IsToken(name))
            {
                return false;
            }

            foreach (var value in values)
            {
                if (value is null || !Sendable(value))
                {
                    return false;
                }
            }
        }

        output.Write(StatusLines.GetOrAdd(status, static code =>
            Encoding.ASCII.GetBytes($"HTTP/1.1 {code.ToString(CultureInfo.InvariantCulture)} {ReasonPhrases.GetReasonPhrase(code)}\r\n")));
        var hasDate = false;
        foreach (var (name, values) in headers)
        {
            if (name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            hasDate |= name.Equals(HeaderNames.Date, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                WriteAscii(output, name);
                output.Write(": "u8);
                WriteAscii(output, value!);
                output.Write("\r\n"u8);
            }
        }

        if (!hasDate)
        {
            output.Write(Date(time));
        }

        if (contentLength is { } length)
        {
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            length.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
            output.Write("\r\n"u8);
        }

        if (chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        if (close)
        {
            output.Write("Connection: close\r\n"u8);
        }
        else if (announceKeepAlive)
        {
            // HTTP/1.0 closes unless the answer says otherwise.
            output.Write("Connection: keep-alive\r\n"u8);
        }

        output.Write("\r\n"u8);
        return true;
    }

    /// <summary>Whether a status's answer carries a body (and so a Content-Length): not 1xx, 204 or 304.</summary>
    public static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;

    private static bool Sendable(string text) => !text.AsSpan().ContainsAny(Unsendable) && Ascii.IsValid(text);

    /// <summary>A field name is a token (RFC 9110 section 5.1): no space, colon, separator or control character.</summary>
    private static bool IsToken(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c > '~' || !Http1Parser.Token.Contains((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteAscii(ArrayBufferWriter<byte> output, string text)
    {
        Ascii.FromUtf16(text, output.GetSpan(text.Length), out var written);
        output.Advance(written);
    }

    /// <summary>The <c>Date</c> line, formatted once a second.</summary>
    private static byte[] Date(TimeProvider time)
    {
        var now = time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        var cached = _date;
        if (cached.Second != second)
        {
            cached = new DateLine(second, Encoding.ASCII.GetBytes($"Date: {now.ToString("R", CultureInfo.InvariantCulture)}\r\n"));
            _date = cached;
        }

        return cached.Line;
    }

    private sealed record DateLine(long Second, byte[] Line);
}
