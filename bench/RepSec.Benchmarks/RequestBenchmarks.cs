using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// A full request without its transport: line in, parsing, dispatch, store, response line out, through the real
/// dispatcher as a connection runs it (no socket, no TLS).
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private string _data = "";
    private BenchServer _server = null!;
    private byte[] _ping = [], _verify = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _data = Directory.CreateTempSubdirectory("repsec-bench-").FullName;
        _server = BenchServer.Start(_data);
        var store = _server.Services.GetRequiredService<IRegistryStore>();
        var at = DateTimeOffset.UtcNow;
        await store.RegisterAsync(Registration.Create(EntityType.Domain, "bench1.example", "bench1.example", "alice", null, at));
        _ping = BenchServer.Line("""{"command":"PING"}""");
        _verify = BenchServer.Line("""{"command":"VERIFY","entity":"bench1.example","type":"domain"}""");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark]
    public Task<long> Ping() => _server.RoundTripAsync(_ping);

    [Benchmark]
    public Task<long> VerifyRegistered() => _server.RoundTripAsync(_verify);
}
