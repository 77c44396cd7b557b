using System.Text;
using BenchmarkDotNet.Attributes;
using RepSec.Protocol.Parsing;

namespace RepSec.Benchmarks;

/// <summary>The pure parser: bytes of one line into the connection's reused request.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly Request _request = new();
    private readonly byte[] _ping = """{"command":"PING"}"""u8.ToArray();
    private readonly byte[] _verify = """{"command":"VERIFY","entity":"bench1.example","type":"domain","id":17}"""u8.ToArray();
    private readonly byte[] _register = Encoding.UTF8.GetBytes(
        """{"command":"REGISTER","entity":"r0123456789abcdef.example","type":"domain","auth":"rs_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ","nonce":"0123456789abcdef0123456789abcdef","timestamp":"2026-11-22T10:00:00Z","attributes":{"note":"x"}}""");

    [Benchmark]
    public ProtocolErrorOrNull Ping() => new(RequestParser.Parse(_ping, _request, ParserLimits.Default));

    [Benchmark]
    public ProtocolErrorOrNull Verify() => new(RequestParser.Parse(_verify, _request, ParserLimits.Default));

    [Benchmark]
    public ProtocolErrorOrNull Register() => new(RequestParser.Parse(_register, _request, ParserLimits.Default));

    public readonly record struct ProtocolErrorOrNull(RepSec.Protocol.ProtocolError? Error);
}
