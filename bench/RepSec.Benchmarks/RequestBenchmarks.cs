using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RepSec.Core;
using RepSec.Core.Registry;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;
using RepSec.Protocol.Entities;
using RepSec.Server;
using RepSec.Server.Connections;
using RepSec.Storage.Sqlite;

namespace RepSec.Benchmarks;

/// <summary>
/// A full request: line in, framing, parsing, dispatch, store, response line out, through the real connection
/// handler over an in-memory pipe (no socket, no TLS).
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private string _data = "";
    private ServiceProvider _services = null!;
    private InMemoryConnection _connection = null!;
    private Task _serving = null!;
    private byte[] _ping = [], _verify = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _data = Directory.CreateTempSubdirectory("repsec-bench-").FullName;
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new RepSecOptions
        {
            RateLimits = new RateLimitOptions { PerAddressPerSecond = 0, PerPrincipalPerSecond = 0 },
        }));
        services.AddSingleton(new ServerOptions());
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IHostApplicationLifetime, NeverStopping>();
        services.AddRepSecCore();
        services.AddRepSecSqlite(_data);
        services.AddSingleton(new LogSigningKey("bench.example/log", SignedNote.NewPrivateKey()));
        services.AddSingleton<RepSecConnectionHandler>();
        _services = services.BuildServiceProvider();

        var store = _services.GetRequiredService<IRegistryStore>();
        var at = DateTimeOffset.UtcNow;
        await store.RegisterAsync(Registration.Create(EntityType.Domain, "bench1.example", "bench1.example", "alice", null, at));

        _connection = new InMemoryConnection();
        _serving = _services.GetRequiredService<RepSecConnectionHandler>().OnConnectedAsync(_connection);
        _ping = """{"command":"PING"}"""u8.ToArray().Append((byte)'\n').ToArray();
        _verify = """{"command":"VERIFY","entity":"bench1.example","type":"domain"}"""u8.ToArray().Append((byte)'\n').ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.Client.Output.CompleteAsync();
        await _serving;
        await _services.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark]
    public Task<long> Ping() => RoundTripAsync(_ping);

    [Benchmark]
    public Task<long> VerifyRegistered() => RoundTripAsync(_verify);

    private async Task<long> RoundTripAsync(byte[] line)
    {
        await _connection.Client.Output.WriteAsync(line);
        var input = _connection.Client.Input;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var length = buffer.Slice(0, end).Length;
                input.AdvanceTo(buffer.GetPosition(1, end));
                return length;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private sealed class NeverStopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
