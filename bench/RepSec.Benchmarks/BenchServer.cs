using System.Buffers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RepSec.Core;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;
using RepSec.Server;
using RepSec.Server.Connections;
using RepSec.Storage.Sqlite;

namespace RepSec.Benchmarks;

/// <summary>
/// The server's services on a SQLite data directory, and one connection served by the real connection handler
/// over an in-memory pipe (no socket, no TLS). Rate limits are off; everything else is as repsecd wires it.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly InMemoryConnection _connection = new();
    private readonly Task _serving;

    private BenchServer(ServiceProvider services)
    {
        Services = services;
        _serving = services.GetRequiredService<RepSecConnectionHandler>().OnConnectedAsync(_connection);
    }

    public ServiceProvider Services { get; }

    public static BenchServer Start(string dataDirectory) => new(BuildServices(dataDirectory));

    /// <summary>The services alone, for filling a data directory through the real stores.</summary>
    public static ServiceProvider BuildServices(string dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new RepSecOptions
        {
            RateLimits = new RateLimitOptions { PerAddressPerSecond = 0, PerPrincipalPerSecond = 0 },
        }));
        services.AddSingleton(new ServerOptions());
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IHostApplicationLifetime, NeverStopping>();
        services.AddRepSecCore();
        services.AddRepSecSqlite(dataDirectory);
        services.AddSingleton(new LogSigningKey("bench.example/log", SignedNote.NewPrivateKey()));
        services.AddSingleton<RepSecConnectionHandler>();
        return services.BuildServiceProvider();
    }

    /// <summary>A request line: the JSON and its newline.</summary>
    public static byte[] Line(string json) => Encoding.UTF8.GetBytes(json + "\n");

    /// <summary>Sends one line and reads the response line; returns its length.</summary>
    public async Task<long> RoundTripAsync(byte[] line) => (await ExchangeAsync(line, keepText: false)).Length;

    /// <summary>Sends one line and returns the response line as text (for checks outside the measured loop).</summary>
    public async Task<string> RequestAsync(byte[] line) => (await ExchangeAsync(line, keepText: true)).Text!;

    private async Task<(long Length, string? Text)> ExchangeAsync(byte[] line, bool keepText)
    {
        await _connection.Client.Output.WriteAsync(line);
        var input = _connection.Client.Input;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                var response = buffer.Slice(0, end);
                var answer = (response.Length, keepText ? Encoding.UTF8.GetString(response) : null);
                input.AdvanceTo(buffer.GetPosition(1, end));
                return answer;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.Client.Output.CompleteAsync();
        await _serving;
        await Services.DisposeAsync();
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
