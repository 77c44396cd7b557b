using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RepSec.Server.Rdap.Http;

namespace RepSec.Benchmarks;

/// <summary>
/// repsecd's own HTTP/1.1 code without sockets: a request head into the connection's reused request, as wrk and as
/// a browser send it, and the head of a typical 200 RDAP answer into the connection's reused output buffer.
/// </summary>
[MemoryDiagnoser]
public class Http1Benchmarks
{
    private static readonly Http1Limits Limits = new(8192, 32768, 100);
    private readonly Http1Request _request = new();
    private readonly byte[] _wrk = "GET /rdap/domain/example.com HTTP/1.1\r\nHost: 127.0.0.1:8443\r\n\r\n"u8.ToArray();
    private readonly byte[] _browser = (
        "GET /rdap/domain/example.com HTTP/1.1\r\n"u8 +
        "Host: rdap.example\r\n"u8 +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"u8 +
        "Accept: application/rdap+json, application/json;q=0.9, */*;q=0.8\r\n"u8 +
        "Accept-Language: en-US,en;q=0.5\r\n"u8 +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n"u8 +
        "Origin: https://lookup.example\r\n"u8 +
        "Connection: keep-alive\r\n"u8 +
        "Sec-Fetch-Mode: cors\r\n"u8 +
        "\r\n"u8).ToArray();

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly HeaderDictionary _headers = new()
    {
        [HeaderNames.ContentType] = "application/rdap+json",
        [HeaderNames.AccessControlAllowOrigin] = "*",
        [HeaderNames.XContentTypeOptions] = "nosniff",
    };

    [Benchmark]
    public int ParseWrkGet() => Parse(_wrk);

    [Benchmark]
    public int ParseBrowserGet() => Parse(_browser);

    [Benchmark]
    public int WriteResponseHead()
    {
        _output.ResetWrittenCount();
        Http1ResponseHead.TryWrite(_output, StatusCodes.Status200OK, _headers, 1630, close: false, TimeProvider.System);
        return _output.WrittenCount;
    }

    private int Parse(byte[] head)
    {
        var result = Http1Parser.TryParse(head, Limits, _request, out var consumed, out _);
        return result == Http1ParseResult.Complete ? consumed : -1;
    }
}
