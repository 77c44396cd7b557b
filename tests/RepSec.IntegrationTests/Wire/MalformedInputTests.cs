using System.Text;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Wire;

/// <summary>Every malformed input of PROTOCOL.md section 2 gets its 400 and the connection keeps serving.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> Malformed => new()
    {
        { "[\"PING\"]", "not_an_object" },
        { "\"PING\"", "not_an_object" },
        { "{\"command\":\"PING\",\"command\":\"PING\"}", "duplicate_member" },
        { "{\"command\":\"PING\"} trailing", "trailing_data" },
        { "{\"command\":\"PING\"}{\"command\":\"PING\"}", "trailing_data" },
        { "{\"command\":\"PING\"", "invalid_json" },
        { "{'command':'PING'}", "invalid_json" },
        { "{\"command\":\"PING\",\"x\":" + new string('[', 40) + new string(']', 40) + "}", "too_deep" },
        { "{\"command\":\"FLY\"}", "unknown_command" },
        { "{\"id\":1}", "missing_parameter" },
        { "{\"command\":\"VERIFY\"}", "missing_parameter" },
        { "{\"command\":\"VERIFY\",\"entity\":\"x\",\"type\":\"planet\"}", "invalid_type" },
        { "{\"command\":\"VERIFY\",\"entity\":\"-bad-.example\",\"type\":\"domain\"}", "invalid_entity" },
        { "{\"command\":\"REGISTER\",\"entity\":\"a.example\",\"type\":\"domain\"}", "missing_parameter" },
        { "{\"command\":42}", "invalid_parameter" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_line_gets_400_and_the_connection_keeps_serving(string line, string error)
    {
        await using var wire = await _server.ConnectAsync();

        var response = await wire.RequestAsync(line);
        var after = await wire.RequestAsync("{\"command\":\"PING\"}");

        Assert.Equal((400, error), (response.Status(), response.Error()));
        Assert.False(string.IsNullOrEmpty(response.Str("message")));
        Assert.Equal(200, after.Status());
    }

    [Fact]
    public async Task Invalid_utf8_gets_400_and_the_connection_keeps_serving()
    {
        await using var wire = await _server.ConnectAsync();

        await wire.SendBytesAsync([.. "{\"command\":\"PING\",\"x\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8]);
        var response = await wire.ReadJsonAsync();
        var after = await wire.RequestAsync("{\"command\":\"PING\"}");

        Assert.Equal((400, "invalid_utf8"), (response.Status(), response.Error()));
        Assert.Equal(200, after.Status());
    }

    [Fact]
    public async Task Overlong_line_gets_400_then_the_connection_closes()
    {
        await using var wire = await _server.ConnectAsync();

        var huge = "{\"command\":\"PING\",\"pad\":\"" + new string('a', 70_000) + "\"}\n";
        await wire.SendAsync(huge);
        var response = await wire.ReadJsonAsync();

        Assert.Equal((400, "message_too_large"), (response.Status(), response.Error()));
        Assert.Null(await wire.ReadLineAsync());
    }

    [Fact]
    public async Task Line_of_exactly_the_limit_is_served()
    {
        await using var wire = await _server.ConnectAsync();
        const string Head = "{\"command\":\"PING\",\"pad\":\"";
        var line = Head + new string('a', 65_536 - Head.Length - 2) + "\"}";

        var response = await wire.RequestAsync(line);

        Assert.Equal(65_536, Encoding.UTF8.GetByteCount(line));
        Assert.Equal(200, response.Status());
    }

    [Fact]
    public async Task Errors_echo_the_request_id()
    {
        await using var wire = await _server.ConnectAsync();

        var response = await wire.RequestAsync("{\"id\":\"q-7\",\"command\":\"NOPE\"}");

        Assert.Equal("q-7", response.Str("id"));
        Assert.Equal("unknown_command", response.Error());
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order_with_crlf_and_blank_lines_tolerated()
    {
        await using var wire = await _server.ConnectAsync();
        var batch = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            batch.Append(i % 3 == 0 ? $"{{\"command\":\"PING\",\"id\":{i}}}\r\n" : i % 3 == 1 ? $"{{\"command\":\"BAD\",\"id\":{i}}}\n\n" : $"{{\"command\":\"VERIFY\",\"entity\":\"nothing{i}.example\",\"id\":{i}}}\n");
        }

        await wire.SendAsync(batch.ToString());

        for (var i = 0; i < 200; i++)
        {
            var response = await wire.ReadJsonAsync();
            Assert.Equal(i, response.GetProperty("id").GetInt32());
            Assert.Equal(i % 3 == 0 ? 200 : i % 3 == 1 ? 400 : 404, response.Status());
        }
    }
}
