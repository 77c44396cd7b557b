using System.Text;
using Microsoft.AspNetCore.Http;
using RepSec.Server.Rdap.Http;

namespace RepSec.Server.Tests.Rdap.Http;

public sealed class Http1ParserTests
{
    private static readonly Http1Limits Limits = new(8192, 32768, 100);

    [Fact]
    public void A_simple_GET_with_Host_is_parsed()
    {
        const string Head = "GET /domain/example.com HTTP/1.1\r\nHost: rdap.example\r\nAccept: application/rdap+json\r\n\r\n";

        var (result, consumed, error, request) = Parse(Head);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(default, error);
        Assert.Equal(Head.Length, consumed);
        Assert.Equal("GET", request.Method);
        Assert.Same(HttpMethods.Get, request.Method);
        Assert.Equal("/domain/example.com", request.RawTarget);
        Assert.Equal("/domain/example.com", request.Path);
        Assert.Equal("", request.Query);
        Assert.Null(request.Authority);
        Assert.False(request.Http10);
        Assert.True(request.KeepAlive);
        Assert.False(request.HasBody);
        Assert.Equal("rdap.example", request.Headers["Host"].ToString());
        Assert.Equal("application/rdap+json", request.Headers["Accept"].ToString());
        Assert.Equal(2, request.Headers.Count);
    }

    [Fact]
    public void Empty_lines_before_the_request_line_are_skipped_and_consumed()
    {
        const string Head = "\r\n\r\nGET /help HTTP/1.1\r\nHost: h\r\n\r\n";

        var (result, consumed, _, request) = Parse(Head);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(Head.Length, consumed);
        Assert.Equal("/help", request.RawTarget);
        Assert.Equal(Http1ParseResult.Error, Parse("\r\n\r\n\r\nGET /help HTTP/1.1\r\nHost: h\r\n\r\n").Result);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("POST")]
    [InlineData("get")]
    [InlineData("X-CUSTOM.1~")]
    public void The_method_is_kept_as_sent(string method)
    {
        var (result, _, _, request) = Parse($"{method} / HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(method, request.Method);
    }

    [Theory]
    [InlineData("/help?a=1&b=2", "/help", "?a=1&b=2")]
    [InlineData("/help?", "/help", "?")]
    [InlineData("/?x", "/", "?x")]
    [InlineData("/a%2Fb?q=%20?more", "/a%2Fb", "?q=%20?more")]
    [InlineData("/", "/", "")]
    public void The_query_is_split_from_the_path(string target, string path, string query)
    {
        var (result, _, _, request) = Parse($"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(target, request.RawTarget);
        Assert.Equal(path, request.Path);
        Assert.Equal(query, request.Query);
    }

    [Theory]
    [InlineData("https://rdap.example/domain/x?q=1", "rdap.example", "/domain/x?q=1", "/domain/x", "?q=1")]
    [InlineData("http://rdap.example:8080/help", "rdap.example:8080", "/help", "/help", "")]
    [InlineData("HTTPS://Rdap.Example/help", "Rdap.Example", "/help", "/help", "")]
    [InlineData("https://h", "h", "/", "/", "")]
    [InlineData("https://h?x=1", "h", "/?x=1", "/", "?x=1")]
    [InlineData("https://[::1]:443/", "[::1]:443", "/", "/", "")]
    public void An_absolute_form_target_gives_its_authority_as_Host_and_its_path_and_query_as_target(
        string target, string authority, string rawTarget, string path, string query)
    {
        var (result, _, _, request) = Parse($"GET {target} HTTP/1.1\r\nHost: other.example\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(authority, request.Authority);
        Assert.Equal(authority, request.Headers["Host"].ToString());
        Assert.Single(request.Headers["Host"]);
        Assert.Equal(rawTarget, request.RawTarget);
        Assert.Equal(path, request.Path);
        Assert.Equal(query, request.Query);
    }

    [Fact]
    public void An_absolute_form_target_in_HTTP_1_0_needs_no_Host()
    {
        var (result, _, _, request) = Parse("GET http://rdap.example/help HTTP/1.0\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal("rdap.example", request.Headers["Host"].ToString());
        Assert.Equal("/help", request.Path);
    }

    [Theory]
    [InlineData("https://")]
    [InlineData("https:///path")]
    [InlineData("https://user@h/")]
    [InlineData("https://h#frag")]
    [InlineData("https://a!b/")]
    [InlineData("ftp://h/")]
    [InlineData("h/path")]
    public void An_unusable_absolute_form_target_is_refused(string target) =>
        AssertError(400, $"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n");

    [Fact]
    public void OPTIONS_asterisk_is_accepted()
    {
        var (result, _, _, request) = Parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal("OPTIONS", request.Method);
        Assert.Equal("*", request.RawTarget);
        Assert.Equal("", request.Path);
        Assert.Equal("", request.Query);
    }

    [Fact]
    public void An_asterisk_target_is_refused_for_other_methods() =>
        AssertError(400, "GET * HTTP/1.1\r\nHost: h\r\n\r\n");

    [Fact]
    public void Of_two_pipelined_requests_only_the_first_is_consumed()
    {
        const string First = "GET /first?a HTTP/1.1\r\nHost: h\r\n\r\n";
        const string Second = "HEAD /second HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        var request = new Http1Request();

        var (result, consumed, _) = Parse(First + Second, Limits, request);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(First.Length, consumed);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/first", request.Path);
        Assert.True(request.KeepAlive);

        (result, consumed, _) = Parse(Second, Limits, request);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(Second.Length, consumed);
        Assert.Equal("HEAD", request.Method);
        Assert.Equal("/second", request.Path);
        Assert.False(request.KeepAlive);
    }

    [Fact]
    public void Every_proper_prefix_of_a_request_is_incomplete()
    {
        var bytes = Encoding.ASCII.GetBytes("GET /help?x=1 HTTP/1.1\r\nHost: rdap.example\r\nAuthorization: Basic dTpw\r\n\r\n");

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = Http1Parser.TryParse(bytes.AsSpan(0, length), Limits, new Http1Request(), out var consumed, out var error);

            Assert.True(result == Http1ParseResult.Incomplete, $"a prefix of {length} bytes gave {result} ({error})");
            Assert.Equal(0, consumed);
        }

        Assert.Equal(Http1ParseResult.Complete, Http1Parser.TryParse(bytes, Limits, new Http1Request(), out var all, out _));
        Assert.Equal(bytes.Length, all);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("GET / HTTP/1.1\r")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHo")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n\r")]
    public void Cut_input_is_incomplete(string input)
    {
        var (result, consumed, error, _) = Parse(input);

        Assert.Equal(Http1ParseResult.Incomplete, result);
        Assert.Equal(0, consumed);
        Assert.Equal(default, error);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n\n")]
    [InlineData("GET / HTTP/1.1\nHost: h\n\n")]
    public void Bare_LF_line_endings_are_refused(string input) => AssertError(400, input);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n\ttwo\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n Host: h\r\n\r\n")]
    public void Folded_or_whitespace_prefixed_header_lines_are_refused(string input) => AssertError(400, input);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost : h\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A\t: v\r\n\r\n")]
    public void Whitespace_before_the_colon_is_refused(string input) => AssertError(400, input);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX(A): v\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-\u00e9: v\r\n\r\n")]
    public void A_header_line_that_is_not_name_colon_value_is_refused(string input) => AssertError(400, input);

    [Theory]
    [InlineData("X-A: a\u0001b")]
    [InlineData("X-A: a\u0000b")]
    [InlineData("X-A: a\rb")]
    [InlineData("X-A: a\u007fb")]
    [InlineData("X-A: caf\u00e9")]
    [InlineData("X-A: \u00ff")]
    public void A_control_character_or_non_ASCII_byte_in_a_header_value_is_refused(string header) =>
        AssertError(400, $"GET / HTTP/1.1\r\nHost: h\r\n{header}\r\n\r\n");

    [Fact]
    public void A_tab_inside_a_header_value_is_kept()
    {
        var (result, _, _, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\tb\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal("a\tb", request.Headers["X-A"].ToString());
    }

    [Theory]
    [InlineData("G\u0001T / HTTP/1.1")]
    [InlineData("G(T / HTTP/1.1")]
    [InlineData("G\u00c9T / HTTP/1.1")]
    [InlineData(" GET / HTTP/1.1")]
    [InlineData("/ HTTP/1.1")]
    [InlineData("GET")]
    public void A_method_that_is_not_a_token_is_refused(string requestLine) =>
        AssertError(400, $"{requestLine}\r\nHost: h\r\n\r\n");

    [Theory]
    [InlineData("GET /a b HTTP/1.1")]
    [InlineData("GET  / HTTP/1.1")]
    [InlineData("GET /caf\u00e9 HTTP/1.1")]
    [InlineData("GET /a\u0001 HTTP/1.1")]
    [InlineData("GET /a\u007f HTTP/1.1")]
    [InlineData("GET /a\tb HTTP/1.1")]
    [InlineData("GET HTTP/1.1")]
    public void A_target_with_a_space_control_or_non_ASCII_character_is_refused(string requestLine) =>
        AssertError(400, $"{requestLine}\r\nHost: h\r\n\r\n");

    [Theory]
    [InlineData("/a%00b")]
    [InlineData("/%00")]
    [InlineData("/a?q=%00")]
    [InlineData("https://h/%00")]
    public void An_encoded_NUL_in_the_target_is_refused(string target) =>
        AssertError(400, $"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n");

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/3.0")]
    public void An_unsupported_HTTP_version_is_505(string version) =>
        AssertError(505, $"GET / {version}\r\nHost: h\r\n\r\n");

    [Theory]
    [InlineData("HTTP/1")]
    [InlineData("HTTP/1.10")]
    [InlineData("http/1.1")]
    [InlineData("HTTP/x.y")]
    [InlineData("HTTP/1.1 ")]
    [InlineData("HTTP/1,1")]
    [InlineData("FOO")]
    [InlineData("")]
    public void A_garbage_version_is_400(string version) =>
        AssertError(400, $"GET / {version}\r\nHost: h\r\n\r\n");

    [Fact]
    public void A_request_line_of_exactly_the_limit_is_accepted()
    {
        var limits = Limits with { MaxRequestLineBytes = 64 };
        var line = RequestLine(64);

        var (result, _, _, request) = Parse(line + "Host: h\r\n\r\n", limits);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(64, line.Length);
        Assert.StartsWith("/", request.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_line_longer_than_the_limit_is_414()
    {
        var limits = Limits with { MaxRequestLineBytes = 64 };

        AssertError(414, RequestLine(65) + "Host: h\r\n\r\n", limits);
    }

    [Fact]
    public void A_request_line_longer_than_the_limit_is_414_before_its_end_arrives()
    {
        var limits = Limits with { MaxRequestLineBytes = 64 };
        var partial = "GET /" + new string('a', 59);

        Assert.Equal(64, partial.Length);
        Assert.Equal(Http1ParseResult.Incomplete, Parse(partial, limits).Result);
        AssertError(414, partial + "a", limits);
        AssertError(414, partial + new string('a', 1000), limits);
    }

    [Fact]
    public void A_header_section_of_exactly_the_limit_is_accepted()
    {
        // "Host: h\r\n" (9) + "X-A: " (5) + value + "\r\n" (2) + "\r\n" (2): the terminating empty line counts too.
        var limits = Limits with { MaxHeaderBytes = 40 };
        var headers = "Host: h\r\nX-A: " + new string('v', 22) + "\r\n\r\n";

        Assert.Equal(40, headers.Length);
        Assert.Equal(Http1ParseResult.Complete, Parse("GET / HTTP/1.1\r\n" + headers, limits).Result);
    }

    [Fact]
    public void A_header_section_larger_than_the_limit_is_431()
    {
        var limits = Limits with { MaxHeaderBytes = 40 };
        var headers = "Host: h\r\nX-A: " + new string('v', 23) + "\r\n\r\n";

        AssertError(431, "GET / HTTP/1.1\r\n" + headers, limits);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\nX-A: " + new string('v', 100) + "\r\n\r\n", limits);
    }

    [Fact]
    public void A_header_section_larger_than_the_limit_is_431_before_its_end_arrives()
    {
        var limits = Limits with { MaxHeaderBytes = 40 };

        Assert.Equal(Http1ParseResult.Incomplete, Parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: " + new string('v', 26), limits).Result);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\nX-A: " + new string('v', 27), limits);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\nX-A: " + new string('v', 500), limits);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\n" + string.Concat(Enumerable.Repeat("X-A: v\r\n", 10)), limits);
    }

    [Fact]
    public void The_header_count_limit_is_inclusive()
    {
        var limits = Limits with { MaxHeaderCount = 3 };

        Assert.Equal(Http1ParseResult.Complete, Parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", limits).Result);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits);
        AssertError(431, "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nA: 1\r\nA: 1\r\n\r\n", limits);
    }

    [Fact]
    public void An_HTTP_1_1_request_without_Host_is_refused() =>
        AssertError(400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");

    [Theory]
    [InlineData("Host: a\r\nHost: a\r\n")]
    [InlineData("Host: a\r\nhost: b\r\n")]
    public void Two_Host_headers_are_refused(string headers)
    {
        AssertError(400, $"GET / HTTP/1.1\r\n{headers}\r\n");
        AssertError(400, $"GET / HTTP/1.0\r\n{headers}\r\n");
    }

    [Fact]
    public void An_HTTP_1_0_request_without_Host_is_accepted()
    {
        var (result, consumed, _, request) = Parse("GET /help HTTP/1.0\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(22, consumed);
        Assert.True(request.Http10);
        Assert.Equal(0, request.Headers["Host"].Count);
    }

    [Theory]
    [InlineData("rdap.example")]
    [InlineData("rdap.example:443")]
    [InlineData("127.0.0.1:8443")]
    [InlineData("[::1]:8443")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("under_score-dash.~")]
    public void Valid_hosts_are_accepted(string host)
    {
        var (result, _, _, request) = Parse($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(host, request.Headers["Host"].ToString());
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("user@h")]
    [InlineData("h,i")]
    [InlineData("h\"")]
    [InlineData("")]
    public void Invalid_host_characters_are_refused(string host) =>
        AssertError(400, $"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.0")]
    [InlineData("5, 5")]
    [InlineData("0x10")]
    [InlineData("")]
    [InlineData("99999999999999999999999")]
    public void A_Content_Length_that_is_not_one_number_is_refused(string value) =>
        AssertError(400, $"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {value}\r\n\r\n");

    [Fact]
    public void Two_Content_Length_headers_are_refused() =>
        AssertError(400, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n");

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("1048576", true)]
    public void A_positive_Content_Length_announces_a_body(string value, bool hasBody)
    {
        const string Prefix = "POST /x HTTP/1.1\r\nHost: h\r\n";
        var head = $"{Prefix}Content-Length: {value}\r\n\r\n";

        var (result, consumed, _, request) = Parse(head + "body");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(head.Length, consumed);
        Assert.Equal(hasBody, request.HasBody);
    }

    [Fact]
    public void Transfer_Encoding_announces_a_body()
    {
        var (result, _, _, request) = Parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.True(request.HasBody);
    }

    [Fact]
    public void Transfer_Encoding_in_HTTP_1_0_is_refused() =>
        AssertError(400, "POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");

    [Theory]
    [InlineData("close")]
    [InlineData("Close")]
    [InlineData("keep-alive, close")]
    [InlineData("upgrade ,  CLOSE ")]
    public void Connection_close_ends_keep_alive(string value)
    {
        var (result, _, _, request) = Parse($"GET / HTTP/1.1\r\nHost: h\r\nConnection: {value}\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.False(request.KeepAlive);
    }

    [Fact]
    public void Connection_close_in_a_second_Connection_header_ends_keep_alive()
    {
        var (result, _, _, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nConnection: close\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.False(request.KeepAlive);
    }

    [Fact]
    public void HTTP_1_1_keeps_the_connection_alive_by_default()
    {
        var (_, _, _, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\n\r\n");

        Assert.True(request.KeepAlive);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("Connection: keep-alive\r\n", true)]
    [InlineData("Connection: Keep-Alive\r\n", true)]
    [InlineData("Connection: foo, keep-alive\r\n", true)]
    [InlineData("Connection: close\r\n", false)]
    public void HTTP_1_0_closes_unless_keep_alive_is_asked(string connection, bool keepAlive)
    {
        var (result, _, _, request) = Parse($"GET / HTTP/1.0\r\n{connection}\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.True(request.Http10);
        Assert.Equal(keepAlive, request.KeepAlive);
    }

    [Theory]
    [InlineData("Connection: close, keep-alive\r\n")]
    [InlineData("Connection: keep-alive, close\r\n")]
    [InlineData("Connection: close\r\nConnection: keep-alive\r\n")]
    public void In_HTTP_1_0_close_wins_over_keep_alive(string connection)
    {
        // RFC 9112 section 9.6: a server that receives a "close" connection option must close after its response.
        var (result, _, _, request) = Parse($"GET / HTTP/1.0\r\n{connection}\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.False(request.KeepAlive);
    }

    [Theory]
    [InlineData("Authorization: \r\n")]
    [InlineData("Authorization:\r\n")]
    [InlineData("Authorization: \t \r\n")]
    public void An_empty_header_value_is_kept_as_one_empty_value(string header)
    {
        var (result, _, _, request) = Parse($"GET / HTTP/1.1\r\nHost: h\r\n{header}\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.True(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(1, request.Headers["Authorization"].Count);
        Assert.Equal("", request.Headers["Authorization"][0]);
    }

    [Fact]
    public void Repeated_headers_are_all_kept_in_order()
    {
        var (result, _, _, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nAccept: a/b\r\nX-Other: 1\r\naccept: c/d\r\nACCEPT:\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(new string?[] { "a/b", "c/d", "" }, request.Headers["Accept"].ToArray());
        Assert.Equal("1", request.Headers["X-Other"].ToString());
    }

    [Theory]
    [InlineData("X-A: value\r\n")]
    [InlineData("X-A:value\r\n")]
    [InlineData("X-A:   value   \r\n")]
    [InlineData("X-A:\t value \t\r\n")]
    public void Optional_whitespace_around_a_value_is_trimmed(string header)
    {
        var (result, _, _, request) = Parse($"GET / HTTP/1.1\r\nHost: h\r\n{header}\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal("value", request.Headers["X-A"].ToString());
    }

    [Fact]
    public void Whitespace_inside_a_value_is_kept()
    {
        var (_, _, _, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent:  a  b \r\n\r\n");

        Assert.Equal("a  b", request.Headers["User-Agent"].ToString());
    }

    [Fact]
    public void Header_names_are_looked_up_case_insensitively()
    {
        var (result, _, _, request) = Parse("GET / HTTP/1.1\r\nhOsT: h\r\nAUTHORIZATION: Basic x\r\nx-custom-thing: 1\r\n\r\n");

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal("h", request.Headers["Host"].ToString());
        Assert.Equal("h", request.Headers["host"].ToString());
        Assert.Equal("Basic x", request.Headers["authorization"].ToString());
        Assert.Equal("Basic x", ((IHeaderDictionary)request.Headers).Authorization.ToString());
        Assert.Equal("1", request.Headers["X-Custom-Thing"].ToString());
    }

    [Fact]
    public void A_reused_request_keeps_nothing_from_the_previous_parse()
    {
        var request = new Http1Request();
        var first = Parse("POST https://a.example/one?q=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic x\r\nX-First: 1\r\nContent-Length: 4\r\n\r\n", Limits, request);
        Assert.Equal(Http1ParseResult.Complete, first.Result);
        Assert.True(request.HasBody);
        Assert.Equal("a.example", request.Authority);

        var (result, consumed, _) = Parse("GET /two HTTP/1.0\r\n\r\n", Limits, request);

        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(21, consumed);
        Assert.Empty(request.Headers);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/two", request.RawTarget);
        Assert.Equal("/two", request.Path);
        Assert.Equal("", request.Query);
        Assert.Null(request.Authority);
        Assert.True(request.Http10);
        Assert.False(request.KeepAlive);
        Assert.False(request.HasBody);
    }

    [Fact]
    public void A_reused_request_after_OPTIONS_asterisk_has_a_fresh_target()
    {
        var request = new Http1Request();
        Assert.Equal(Http1ParseResult.Complete, Parse("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n", Limits, request).Result);

        Assert.Equal(Http1ParseResult.Complete, Parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", Limits, request).Result);

        Assert.Equal(("*", "", ""), (request.RawTarget, request.Path, request.Query));
    }

    [Fact]
    public void Errors_carry_a_title_and_description()
    {
        var (_, consumed, error, _) = Parse("GET / HTTP/1.1\r\n\r\n");

        Assert.Equal(0, consumed);
        Assert.Equal(400, error.Status);
        Assert.Equal("Bad Request", error.Title);
        Assert.False(string.IsNullOrWhiteSpace(error.Description));
    }

    [Fact]
    public void The_buffer_bound_covers_the_largest_acceptable_head()
    {
        var limits = new Http1Limits(64, 40, 100);

        Assert.Equal(4 + 64 + 40 + 1, limits.MaxBufferedBytes);
        var head = "\r\n\r\n" + RequestLine(64) + "Host: h\r\nX-A: " + new string('v', 22) + "\r\n\r\n";
        Assert.True(head.Length < limits.MaxBufferedBytes);
        Assert.Equal(Http1ParseResult.Complete, Parse(head, limits).Result);
        // The longest input still incomplete: one byte short of a buffer the connection stops growing at.
        var unfinished = "\r\n\r\n" + RequestLine(64) + "Host: h\r\nX-A: " + new string('v', 40 - 9 - 5);
        Assert.Equal(Http1ParseResult.Incomplete, Parse(unfinished, limits).Result);
        Assert.Equal(limits.MaxBufferedBytes - 1, unfinished.Length);
    }

    /// <summary>A "GET /aaa… HTTP/1.1\r\n" request line of exactly <paramref name="length"/> bytes.</summary>
    private static string RequestLine(int length) => "GET /" + new string('a', length - 16) + " HTTP/1.1\r\n";

    private static void AssertError(int status, string input, Http1Limits? limits = null)
    {
        var (result, consumed, error, _) = Parse(input, limits);

        Assert.True(result == Http1ParseResult.Error, $"expected {status} but got {result} for {Escape(input)}");
        Assert.Equal(status, error.Status);
        Assert.Equal(0, consumed);
        Assert.False(string.IsNullOrEmpty(error.Title));
        Assert.False(string.IsNullOrEmpty(error.Description));
    }

    private static (Http1ParseResult Result, int Consumed, Http1Error Error, Http1Request Request) Parse(string input, Http1Limits? limits = null)
    {
        var request = new Http1Request();
        var (result, consumed, error) = Parse(input, limits ?? Limits, request);
        return (result, consumed, error, request);
    }

    /// <summary>Latin-1, so a char below U+0100 in a test string is exactly one byte on the wire.</summary>
    private static (Http1ParseResult Result, int Consumed, Http1Error Error) Parse(string input, Http1Limits limits, Http1Request request)
    {
        var result = Http1Parser.TryParse(Encoding.Latin1.GetBytes(input), limits, request, out var consumed, out var error);
        return (result, consumed, error);
    }

    private static string Escape(string input)
    {
        var text = new StringBuilder();
        foreach (var c in input)
        {
            text.Append(c is >= ' ' and < '\u007f' ? c.ToString() : $"\\x{(int)c:X2}");
        }

        return text.ToString();
    }

    [Theory]
    [InlineData("/rdap/help", "/rdap/help")]
    [InlineData("/a/b/c/./../../g", "/a/g")]
    [InlineData("mid/content=5/../6", "mid/6")]
    [InlineData("/rdap/../health/live", "/health/live")]
    [InlineData("/health/live/.", "/health/live/")]
    [InlineData("/health/live/..", "/health/")]
    [InlineData("/../../x", "/x")]
    [InlineData("/..", "/")]
    [InlineData("/a/.b/..c/.../d", "/a/.b/..c/.../d")]
    [InlineData("/a//../b", "/a/b")]
    public void Dot_segments_are_removed_as_RFC_3986_section_5_2_4_says(string path, string expected) =>
        Assert.Equal(expected, Http1Parser.RemoveDotSegments(path));
}
