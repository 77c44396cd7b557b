using System.Globalization;
using System.Net.Security;
using System.Text;
using System.Text.Json.Nodes;
using RepSec.IntegrationTests.Hostile;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Rdap;

/// <summary>
/// The RDAP port's own HTTP/1.1 connection loop, byte for byte over TLS: pipelining, keep-alive and close,
/// absolute-form targets, errors before the pipeline as RDAP error objects, 408 on the request headers timeout,
/// and the close after a refused body.
/// </summary>
/// <remarks>
/// With <c>RepSec:Rdap:Http1=kestrel</c> (CI runs the RDAP suite both ways) the tests of what only the own loop
/// promises are skipped: Kestrel answers errors before the pipeline without an RDAP body, accepts LF line ends
/// and non-ASCII header values, refuses an absolute-form target naming another host, and leaves a connection
/// open after a 413.
/// </remarks>
public sealed class RdapHttp1Tests(RdapFixture fixture) : IClassFixture<RdapFixture>
{
    private const string OwnLoopOnly = "RepSec:Rdap:Http1 is kestrel: this is what repsecd's own HTTP/1.1 loop promises beyond Kestrel";

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order_on_one_connection()
    {
        await using var tls = await OpenAsync(fixture.Server);
        await SendAsync(tls,
            "GET /rdap/domain/example.com HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "HEAD /rdap/domain/example.org HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "GET /rdap/help HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        var reader = new ResponseReader(tls);

        var first = await reader.ReadAsync(head: false);
        var second = await reader.ReadAsync(head: true);
        var third = await reader.ReadAsync(head: false);

        Assert.Equal(200, first.Status);
        Assert.Equal("example.com", JsonNode.Parse(first.Body)!["ldhName"]!.GetValue<string>());
        Assert.Equal(200, second.Status);
        Assert.True(int.Parse(second.Header("Content-Length")!, CultureInfo.InvariantCulture) > 0, "HEAD carries the GET's Content-Length");
        Assert.Equal(200, third.Status);
        Assert.Contains("\"notices\"", third.Body, StringComparison.Ordinal);
        Assert.Equal("close", third.Header("Connection"));
        Assert.True(await reader.AtEndAsync(), "the connection closes after the answer to Connection: close");
    }

    [Fact]
    public async Task A_keep_alive_connection_serves_request_after_request()
    {
        await using var tls = await OpenAsync(fixture.Server);
        var reader = new ResponseReader(tls);
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(tls, "GET /rdap/domain/example.com HTTP/1.1\r\nHost: localhost\r\n\r\n");
            var answer = await reader.ReadAsync(head: false);
            Assert.Equal(200, answer.Status);
            Assert.Null(answer.Header("Connection"));
        }
    }

    [Fact]
    public async Task Http_1_0_closes_after_the_answer_unless_asked_to_keep_alive()
    {
        await using (var tls = await OpenAsync(fixture.Server))
        {
            await SendAsync(tls, "GET /rdap/help HTTP/1.0\r\n\r\n");
            var reader = new ResponseReader(tls);
            Assert.Equal(200, (await reader.ReadAsync(head: false)).Status);
            Assert.True(await reader.AtEndAsync());
        }

        await using (var tls = await OpenAsync(fixture.Server))
        {
            var reader = new ResponseReader(tls);
            await SendAsync(tls, "GET /rdap/help HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var kept = await reader.ReadAsync(head: false);
            Assert.Equal(200, kept.Status);
            Assert.Equal("keep-alive", kept.Header("Connection"));
            await SendAsync(tls, "GET /rdap/help HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Equal(200, (await reader.ReadAsync(head: false)).Status);
        }
    }

    [SkippableFact]
    public async Task An_absolute_form_target_names_the_host_the_links_use()
    {
        Skip.If(RdapFixture.KestrelHttp1, OwnLoopOnly);
        await using var tls = await OpenAsync(fixture.Server);
        await SendAsync(tls, "GET https://rdap.example.net/rdap/domain/example.com HTTP/1.1\r\nHost: ignored.example\r\nConnection: close\r\n\r\n");
        var answer = await new ResponseReader(tls).ReadAsync(head: false);

        Assert.Equal(200, answer.Status);
        Assert.Contains("https://rdap.example.net/rdap/domain/example.com", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored.example", answer.Body, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("GET /rdap/help HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /rdap/help HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [InlineData("GET /rdap/help HTTP/1.1\nHost: a\n\n", 400)]
    [InlineData("GET /rdap/help HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET /rdap/help HTTP/1.1\r\nHost: a\r\nX: caf\u00e9\r\n\r\n", 400)]
    public async Task A_malformed_head_gets_an_rdap_error_and_a_close(string head, int status)
    {
        Skip.If(RdapFixture.KestrelHttp1, OwnLoopOnly);
        await using var tls = await OpenAsync(fixture.Server);
        await tls.WriteAsync(Encoding.UTF8.GetBytes(head));
        var reader = new ResponseReader(tls);
        var answer = await reader.ReadAsync(head: false);

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/rdap+json", answer.Header("Content-Type"));
        Assert.Equal("*", answer.Header("Access-Control-Allow-Origin"));
        Assert.Equal(status, JsonNode.Parse(answer.Body)!["errorCode"]!.GetValue<int>());
        await RdapSchemas.AssertValidAsync(RdapSchema.Error, answer.Body);
        Assert.True(await reader.AtEndAsync());
    }

    [Fact]
    public async Task A_head_sent_in_pieces_is_answered_once_it_is_whole()
    {
        await using var tls = await OpenAsync(fixture.Server);
        var head = "GET /rdap/domain/example.com HTTP/1.1\r\nHost: localhost\r\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Filler-{i}: {new string('f', 100)}\r\n")) + "\r\n";
        foreach (var piece in head.Chunk(97))
        {
            await SendAsync(tls, new string(piece));
            await tls.FlushAsync();
        }

        var answer = await new ResponseReader(tls).ReadAsync(head: false);
        Assert.Equal(200, answer.Status);
        Assert.Equal("example.com", JsonNode.Parse(answer.Body)!["ldhName"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_refused_body_closes_the_connection_after_the_413()
    {
        Skip.If(RdapFixture.KestrelHttp1, OwnLoopOnly);
        await using var tls = await OpenAsync(fixture.Server);
        await SendAsync(tls, "GET /rdap/help HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nGET /");
        var reader = new ResponseReader(tls);

        var answer = await reader.ReadAsync(head: false);

        Assert.Equal(413, answer.Status);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await reader.AtEndAsync(), "the unread body is never taken for a request");
    }

    [SkippableFact]
    public async Task Request_headers_that_stop_arriving_get_408_and_a_close()
    {
        Skip.If(RdapFixture.KestrelHttp1, OwnLoopOnly);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RepSec:RequestHeadersTimeoutSeconds"] = "1" });
        await using var tls = await OpenAsync(server);
        await SendAsync(tls, "GET /rdap/help HTTP/1.1\r\nHost: localhost\r\n");
        var reader = new ResponseReader(tls);

        var answer = await reader.ReadAsync(head: false);

        Assert.Equal(408, answer.Status);
        Assert.Equal(408, JsonNode.Parse(answer.Body)!["errorCode"]!.GetValue<int>());
        Assert.True(await reader.AtEndAsync());
    }

    private static Task<SslStream> OpenAsync(TestServer server) =>
        Attacker.TlsAsync(Attacker.Address(1), server.RdapPort, server.CaPath, SslApplicationProtocol.Http11);

    private static async Task SendAsync(SslStream tls, string text) => await tls.WriteAsync(Encoding.ASCII.GetBytes(text));

    private sealed record Answer(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    }

    /// <summary>Reads answers one at a time off a connection: head, then as many body bytes as Content-Length says.</summary>
    private sealed class ResponseReader(SslStream tls)
    {
        private readonly List<byte> _buffered = [];

        public async Task<Answer> ReadAsync(bool head)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            int end;
            while ((end = IndexOfHeadEnd()) < 0)
            {
                Assert.True(await FillAsync(timeout.Token), "the connection closed before a whole head arrived");
            }

            var lines = Encoding.ASCII.GetString(_buffered.GetRange(0, end).ToArray()).Split("\r\n");
            _buffered.RemoveRange(0, end + 4);
            var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
            var answer = new Answer(status, headers, "");
            var length = head || answer.Header("Content-Length") is not { } declared ? 0 : int.Parse(declared, CultureInfo.InvariantCulture);
            while (_buffered.Count < length)
            {
                Assert.True(await FillAsync(timeout.Token), "the connection closed inside a body");
            }

            var body = Encoding.UTF8.GetString(_buffered.GetRange(0, length).ToArray());
            _buffered.RemoveRange(0, length);
            return answer with { Body = body };
        }

        /// <summary>True when nothing more arrives and the server ends the connection.</summary>
        public async Task<bool> AtEndAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                return _buffered.Count == 0 && !await FillAsync(timeout.Token);
            }
            catch (IOException)
            {
                return _buffered.Count == 0;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            var chunk = new byte[16 * 1024];
            var read = await tls.ReadAsync(chunk, cancellationToken);
            _buffered.AddRange(chunk.AsSpan(0, read).ToArray());
            return read > 0;
        }

        private int IndexOfHeadEnd()
        {
            for (var i = 0; i + 3 < _buffered.Count; i++)
            {
                if (_buffered[i] == '\r' && _buffered[i + 1] == '\n' && _buffered[i + 2] == '\r' && _buffered[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
