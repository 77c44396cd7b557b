using System.Buffers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RepSec.Core;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;
using RepSec.Server;
using RepSec.Core.Dispatch;
using RepSec.Storage.Sqlite;

namespace RepSec.Benchmarks;

/// <summary>
/// The server's services on a SQLite data directory, and one client's requests run through the real dispatcher
/// as a connection runs them (parse, then the checks and the command, into the connection's output buffer), with
/// no socket and no TLS. Rate limits are off; everything else is as repsecd wires it.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly CommandContext _context = new(System.Net.IPAddress.Loopback, null);
    private readonly RequestDispatcher _dispatcher;

    private BenchServer(ServiceProvider services)
    {
        Services = services;
        _dispatcher = services.GetRequiredService<RequestDispatcher>();
        _context.AttachOutput(_output);
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
        services.AddRepSecCore();
        services.AddRepSecSqlite(dataDirectory);
        services.AddSingleton(new LogSigningKey("bench.example/log", SignedNote.NewPrivateKey()));
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
        _output.ResetWrittenCount();
        var error = _dispatcher.Parse(_context, line.AsSpan(0, line.Length - 1));
        await _dispatcher.RunAsync(_context, error, CancellationToken.None);
        var response = _output.WrittenSpan[..^1];
        return (response.Length, keepText ? Encoding.UTF8.GetString(response) : null);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
