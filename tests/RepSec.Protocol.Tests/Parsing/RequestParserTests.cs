using System.Text;
using RepSec.Protocol.Parsing;

namespace RepSec.Protocol.Tests.Parsing;

public sealed class RequestParserTests
{
    private readonly Request _request = new();

    private ProtocolError? Parse(string line, ParserLimits? limits = null) =>
        RequestParser.Parse(Encoding.UTF8.GetBytes(line), _request, limits ?? ParserLimits.Default);

    [Fact]
    public void Parses_the_envelope_and_common_parameters()
    {
        var error = Parse("""{"command":"register","id":"a\"1","entity":"Example.COM.","type":"domain","auth":"t0k","nonce":"q2Zr3kTt0fX9bY1cU4wP7a","timestamp":"2026-11-22T10:00:00Z","attributes":{"note":"x"},"extra":[1,2]}""");

        Assert.Null(error);
        Assert.Equal("register", _request.Command.ToString());
        Assert.Equal("\"a\\\"1\"", Encoding.UTF8.GetString(_request.RawId));
        Assert.Equal("Example.COM.", _request.Entity);
        Assert.Equal("domain", _request.Type);
        Assert.Equal("t0k", _request.Auth);
        Assert.Equal("q2Zr3kTt0fX9bY1cU4wP7a", _request.Nonce);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), _request.Timestamp);
        Assert.Equal("""{"note":"x"}""", _request.AttributesJson);
        Assert.Equal([new("extra", "[1,2]")], _request.Extra);
    }

    [Fact]
    public void Numeric_id_is_kept_verbatim()
    {
        Assert.Null(Parse("""{"command":"PING","id":1.50e2}"""));
        Assert.Equal("1.50e2", Encoding.UTF8.GetString(_request.RawId));
    }

    [Theory]
    [InlineData("[1,2,3]", ErrorCodes.NotAnObject)]
    [InlineData("\"PING\"", ErrorCodes.NotAnObject)]
    [InlineData("42", ErrorCodes.NotAnObject)]
    [InlineData("null", ErrorCodes.NotAnObject)]
    [InlineData("{\"command\":\"PING\"", ErrorCodes.InvalidJson)]
    [InlineData("{command:PING}", ErrorCodes.InvalidJson)]
    [InlineData("{\"command\":\"PING\",}", ErrorCodes.InvalidJson)]
    [InlineData("{\"command\":\"PING\"} x", ErrorCodes.TrailingData)]
    [InlineData("{\"command\":\"PING\"}{}", ErrorCodes.TrailingData)]
    [InlineData("{\"command\":\"PING\",\"command\":\"HELLO\"}", ErrorCodes.DuplicateMember)]
    [InlineData("{\"command\":\"PING\",\"x\":1,\"x\":2}", ErrorCodes.DuplicateMember)]
    [InlineData("{\"command\":\"PING\",\"attributes\":{\"a\":1,\"a\":2}}", ErrorCodes.DuplicateMember)]
    [InlineData("{\"command\":\"PING\",\"x\":[{\"a\":1,\"a\":2}]}", ErrorCodes.DuplicateMember)]
    [InlineData("{\"comm\\u0061nd\":\"PING\",\"command\":\"PING\"}", ErrorCodes.DuplicateMember)]
    [InlineData("{\"command\":1}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"id\":{}}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"id\":true}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"entity\":5}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"attributes\":[1]}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"nonce\":\"short\"}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"nonce\":\"has space in it 123456\"}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"timestamp\":\"yesterday\"}", ErrorCodes.InvalidParameter)]
    [InlineData("{\"command\":\"PING\",\"timestamp\":\"2026-11-22T10:00:00+02:00\"}", ErrorCodes.InvalidParameter)]
    [InlineData("", ErrorCodes.InvalidJson)]
    [InlineData("{\"command\":\"PING\",\"entity\":\"\\ud800\"}", ErrorCodes.InvalidJson)]
    [InlineData("{\"command\":\"\\udc00\"}", ErrorCodes.InvalidJson)]
    [InlineData("{\"\\ud800\":1,\"command\":\"PING\"}", ErrorCodes.InvalidJson)]
    [InlineData("{\"command\":\"PING\",\"attributes\":{\"\\ud800x\":1}}", ErrorCodes.InvalidJson)]
    public void Malformed_requests_get_their_error_code(string line, string code)
    {
        var error = Parse(line);

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        byte[] line = [.. "{\"command\":\"PING\",\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var error = RequestParser.Parse(line, _request, ParserLimits.Default);

        Assert.Equal(ErrorCodes.InvalidUtf8, error?.Code);
    }

    [Fact]
    public void Overlong_utf8_encoding_is_refused()
    {
        byte[] line = [.. "{\"command\":\"PING\",\"x\":\""u8, 0xC0, 0xAF, .. "\"}"u8];

        Assert.Equal(ErrorCodes.InvalidUtf8, RequestParser.Parse(line, _request, ParserLimits.Default)?.Code);
    }

    [Theory]
    [InlineData(31, null)]
    [InlineData(32, ErrorCodes.TooDeep)]
    [InlineData(200, ErrorCodes.TooDeep)]
    public void Depth_is_bounded(int nestedArrays, string? code)
    {
        // The request object is depth 1, so 31 nested arrays reach exactly the limit of 32.
        var line = "{\"command\":\"PING\",\"x\":" + new string('[', nestedArrays) + new string(']', nestedArrays) + "}";

        Assert.Equal(code, Parse(line)?.Code);
    }

    [Fact]
    public void Id_is_kept_when_a_later_member_is_invalid_so_errors_can_echo_it()
    {
        var error = Parse("""{"id":"abc","command":"PING","entity":17}""");

        Assert.Equal(ErrorCodes.InvalidParameter, error?.Code);
        Assert.Equal("\"abc\"", Encoding.UTF8.GetString(_request.RawId));
    }

    [Fact]
    public void Missing_command_is_not_a_parse_error()
    {
        Assert.Null(Parse("""{"id":1}"""));
        Assert.False(_request.HasCommand);
    }

    [Fact]
    public void Overlong_command_names_do_not_overflow()
    {
        Assert.Null(Parse("{\"command\":\"" + new string('A', 5000) + "\"}"));
        Assert.True(_request.HasCommand);
        Assert.Equal(64, _request.Command.Length);
    }

    [Fact]
    public void Request_is_reset_between_lines()
    {
        Parse("""{"command":"VERIFY","entity":"a.example","id":7}""");
        Parse("""{"command":"PING"}""");

        Assert.Null(_request.Entity);
        Assert.True(_request.RawId.IsEmpty);
    }

    [Theory]
    [InlineData("2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22t10:00:00.123456z")]
    [InlineData("2026-11-22T10:00:00+00:00")]
    [InlineData("2026-11-22T10:00:00.123456789012Z")]
    public void Timestamps_in_utc_are_accepted(string text) =>
        Assert.True(Rfc3339.TryParseUtc(text, out _));
}
