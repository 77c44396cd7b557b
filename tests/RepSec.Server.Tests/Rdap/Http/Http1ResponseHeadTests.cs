using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using RepSec.Server.Rdap.Http;

namespace RepSec.Server.Tests.Rdap.Http;

public sealed class Http1ResponseHeadTests
{
    private const string DateLine = "Date: Thu, 02 Jan 2025 03:04:05 GMT\r\n";

    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(200, "HTTP/1.1 200 OK\r\n")]
    [InlineData(204, "HTTP/1.1 204 No Content\r\n")]
    [InlineData(304, "HTTP/1.1 304 Not Modified\r\n")]
    [InlineData(400, "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData(404, "HTTP/1.1 404 Not Found\r\n")]
    [InlineData(429, "HTTP/1.1 429 Too Many Requests\r\n")]
    [InlineData(505, "HTTP/1.1 505 HTTP Version Not Supported\r\n")]
    public void The_status_line_carries_the_reason_phrase(int status, string statusLine)
    {
        var head = Write(status, new HeaderDictionary(), null, false);

        Assert.StartsWith(statusLine, head, StringComparison.Ordinal);
        Assert.Equal(statusLine + DateLine + "\r\n", head);
    }

    [Fact]
    public void A_whole_head_is_written_in_order()
    {
        var headers = new HeaderDictionary
        {
            ["Content-Type"] = "application/rdap+json",
            ["Vary"] = new StringValues(["Accept", "Origin"]),
            ["Cache-Control"] = "no-store",
        };

        var head = Write(200, headers, 12, true);

        Assert.Equal(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/rdap+json\r\n" +
            "Vary: Accept\r\n" +
            "Vary: Origin\r\n" +
            "Cache-Control: no-store\r\n" +
            DateLine +
            "Content-Length: 12\r\n" +
            "Connection: close\r\n" +
            "\r\n", head);
    }

    [Fact]
    public void Multi_value_headers_are_written_as_separate_lines()
    {
        var headers = new HeaderDictionary { ["WWW-Authenticate"] = new StringValues(["Basic realm=\"a\"", "Digest realm=\"a\", qop=\"auth\""]) };

        var head = Write(401, headers, 0, false);

        Assert.Contains("\r\nWWW-Authenticate: Basic realm=\"a\"\r\nWWW-Authenticate: Digest realm=\"a\", qop=\"auth\"\r\n", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "Content-Length: 0\r\n")]
    [InlineData(1234L, "Content-Length: 1234\r\n")]
    [InlineData(long.MaxValue, "Content-Length: 9223372036854775807\r\n")]
    public void Content_Length_is_written_when_given(long length, string line)
    {
        var head = Write(200, new HeaderDictionary(), length, false);

        Assert.Equal("HTTP/1.1 200 OK\r\n" + DateLine + line + "\r\n", head);
    }

    [Fact]
    public void Content_Length_is_absent_when_not_given()
    {
        var head = Write(204, new HeaderDictionary(), null, false);

        Assert.DoesNotContain("Content-Length", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_Content_Length_set_by_the_pipeline_is_not_duplicated()
    {
        var headers = new HeaderDictionary { ["Content-Length"] = "5", ["X-A"] = "1" };

        var given = Write(200, headers, 7, false);
        var notGiven = Write(200, headers, null, false);

        Assert.Equal(1, Count(given, "Content-Length:"));
        Assert.Contains("\r\nContent-Length: 7\r\n", given, StringComparison.Ordinal);
        Assert.Equal(0, Count(notGiven, "Content-Length:"));
        Assert.Contains("\r\nX-A: 1\r\n", given, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Connection_header_set_by_the_pipeline_is_not_duplicated()
    {
        var headers = new HeaderDictionary { ["connection"] = "keep-alive" };

        var closing = Write(200, headers, 0, true);
        var open = Write(200, headers, 0, false);

        Assert.Equal(1, Count(closing, "Connection:"));
        Assert.Contains("\r\nConnection: close\r\n", closing, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection", open, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Connection_close_is_written_only_when_closing()
    {
        Assert.EndsWith("Connection: close\r\n\r\n", Write(200, new HeaderDictionary(), 0, true), StringComparison.Ordinal);
        Assert.DoesNotContain("Connection", Write(200, new HeaderDictionary(), 0, false), StringComparison.Ordinal);
    }

    [Fact]
    public void The_Date_line_follows_the_clock()
    {
        var time = new FakeTimeProvider(Now);

        var first = Write(200, new HeaderDictionary(), null, false, time);
        time.Advance(TimeSpan.FromMilliseconds(500));
        var sameSecond = Write(200, new HeaderDictionary(), null, false, time);
        time.Advance(TimeSpan.FromDays(1));
        var nextDay = Write(200, new HeaderDictionary(), null, false, time);

        Assert.Contains("\r\n" + DateLine, first, StringComparison.Ordinal);
        Assert.Contains("\r\n" + DateLine, sameSecond, StringComparison.Ordinal);
        Assert.Contains("\r\nDate: Fri, 03 Jan 2025 03:04:05 GMT\r\n", nextDay, StringComparison.Ordinal);
    }

    [Fact]
    public void The_system_clock_gives_an_RFC_1123_date()
    {
        var head = Write(200, new HeaderDictionary(), null, false, TimeProvider.System);

        var line = head.Split("\r\n")[1];
        Assert.StartsWith("Date: ", line, StringComparison.Ordinal);
        Assert.EndsWith(" GMT", line, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParseExact(line["Date: ".Length..], "R", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var date));
        Assert.True((DateTimeOffset.UtcNow - date).Duration() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void A_Date_set_by_the_pipeline_replaces_the_clock()
    {
        var headers = new HeaderDictionary { ["Date"] = "Mon, 01 Jan 2024 00:00:00 GMT" };

        var head = Write(200, headers, null, false);

        Assert.Equal(1, Count(head, "Date:"));
        Assert.Contains("\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\r\nSet-Cookie: x=1")]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\u007fb")]
    [InlineData("caf\u00e9")]
    [InlineData("\u20ac")]
    [InlineData("\ud83d\ude00")]
    public void An_unsendable_value_writes_nothing(string value)
    {
        var output = new ArrayBufferWriter<byte>();
        var headers = new HeaderDictionary { ["X-Fine"] = "ok", ["X-Bad"] = value };

        Assert.False(Http1ResponseHead.TryWrite(output, 200, headers, 10, true, new FakeTimeProvider(Now)));

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void An_unsendable_value_among_several_writes_nothing()
    {
        var output = new ArrayBufferWriter<byte>();
        var headers = new HeaderDictionary { ["Vary"] = new StringValues(["Accept", "Origin\n"]) };

        Assert.False(Http1ResponseHead.TryWrite(output, 200, headers, null, false, new FakeTimeProvider(Now)));

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_null_value_writes_nothing()
    {
        var output = new ArrayBufferWriter<byte>();
        var headers = new HeaderDictionary { ["X-A"] = new StringValues([null]) };

        Assert.False(Http1ResponseHead.TryWrite(output, 200, headers, null, false, new FakeTimeProvider(Now)));

        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("X-A:B")]
    [InlineData("X-A\r\nX-B")]
    [InlineData("X-\u00e9")]
    [InlineData("X-A\n")]
    public void An_unsendable_name_writes_nothing(string name)
    {
        var output = new ArrayBufferWriter<byte>();
        var headers = new HeaderDictionary { [name] = "v" };

        Assert.False(Http1ResponseHead.TryWrite(output, 200, headers, null, false, new FakeTimeProvider(Now)));

        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("X A")]
    [InlineData("")]
    [InlineData("X-A\t")]
    [InlineData("(X)")]
    public void A_name_that_is_not_a_token_writes_nothing(string name)
    {
        // RFC 9110 section 5.1: a field name is a token; "X A: v" or ": v" is not a header line a client can parse.
        var output = new ArrayBufferWriter<byte>();
        var headers = new HeaderDictionary { [name] = "v" };

        Assert.False(Http1ResponseHead.TryWrite(output, 200, headers, null, false, new FakeTimeProvider(Now)));

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_tab_and_visible_ASCII_in_a_value_are_sent()
    {
        var headers = new HeaderDictionary { ["X-A"] = "a\tb ~!\"#" };

        var head = Write(200, headers, null, false);

        Assert.Contains("\r\nX-A: a\tb ~!\"#\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public void The_head_is_appended_after_what_the_output_already_holds()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("previous"u8);

        Assert.True(Http1ResponseHead.TryWrite(output, 200, new HeaderDictionary(), 3, false, new FakeTimeProvider(Now)));

        Assert.Equal("previousHTTP/1.1 200 OK\r\n" + DateLine + "Content-Length: 3\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(101, false)]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(204, false)]
    [InlineData(301, true)]
    [InlineData(304, false)]
    [InlineData(404, true)]
    [InlineData(500, true)]
    public void Only_statuses_with_a_body_allow_one(int status, bool allows) =>
        Assert.Equal(allows, Http1ResponseHead.AllowsBody(status));

    [Fact]
    public void Keep_alive_is_announced_only_when_asked_and_not_closing()
    {
        var kept = new ArrayBufferWriter<byte>();
        Assert.True(Http1ResponseHead.TryWrite(kept, 200, new HeaderDictionary(), 0, close: false, new FakeTimeProvider(Now), announceKeepAlive: true));
        Assert.Equal("HTTP/1.1 200 OK\r\n" + DateLine + "Content-Length: 0\r\nConnection: keep-alive\r\n\r\n", Encoding.ASCII.GetString(kept.WrittenSpan));

        var closing = new ArrayBufferWriter<byte>();
        Assert.True(Http1ResponseHead.TryWrite(closing, 200, new HeaderDictionary(), 0, close: true, new FakeTimeProvider(Now), announceKeepAlive: true));
        Assert.Equal(1, Count(Encoding.ASCII.GetString(closing.WrittenSpan), "Connection:"));
        Assert.Contains("Connection: close\r\n", Encoding.ASCII.GetString(closing.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(0, Count(Write(200, new HeaderDictionary(), 0, false), "Connection:"));
    }

    private static string Write(int status, HeaderDictionary headers, long? contentLength, bool close, TimeProvider? time = null)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(Http1ResponseHead.TryWrite(output, status, headers, contentLength, close, time ?? new FakeTimeProvider(Now)));
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }
}
