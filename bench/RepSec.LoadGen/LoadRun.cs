using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.LoadGen;

internal sealed record LoadSettings(string Server, int Connections, int Seconds, string Command, string? Token, int Keys)
{
    /// <summary>The first server (preparation runs there).</summary>
    public (string Host, int Port) Endpoint => Endpoints[0];

    /// <summary>Every server of a comma-separated list; connections go to them in turn, as a TCP load balancer spreads them.</summary>
    public IReadOnlyList<(string Host, int Port)> Endpoints => Server.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(one =>
        {
            var colon = one.LastIndexOf(':');
            return (one[..colon].Trim('[', ']'), int.Parse(one[(colon + 1)..], CultureInfo.InvariantCulture));
        }).ToList();
}

internal sealed record LoadReport(long Ok, long Bad, double Seconds, long P50Micros, long P99Micros, long P999Micros)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"rps={Ok / Seconds:F0} ok={Ok} bad={Bad} p50_us={P50Micros} p99_us={P99Micros} p999_us={P999Micros}");
}

/// <summary>N connections, each sending its next request when the previous answer arrives.</summary>
internal static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        var measuring = 0;
        var stop = 0;
        var latencies = new List<long>[settings.Connections];
        var counts = new long[settings.Connections * 2];
        var endpoints = settings.Endpoints;
        var loops = Enumerable.Range(0, settings.Connections).Select(async index =>
        {
            latencies[index] = new List<long>(1 << 16);
            await using var line = await LineConnection.OpenAsync(endpoints[index % endpoints.Count], cancellationToken);
            var random = new Random(index);
            while (Volatile.Read(ref stop) == 0)
            {
                var request = Render(settings, random);
                var started = Stopwatch.GetTimestamp();
                var status = await line.RoundTripAsync(request, cancellationToken);
                if (Volatile.Read(ref measuring) == 0)
                {
                    continue;
                }

                latencies[index].Add(Stopwatch.GetElapsedTime(started).Ticks / 10);
                counts[(index * 2) + (status == 200 ? 0 : 1)]++;
                if (status != 200 && counts[(index * 2) + 1] < 3)
                {
                    await Console.Error.WriteLineAsync($"unexpected status {status}");
                }
            }
        }).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
        Volatile.Write(ref measuring, 0);
        var elapsed = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(loops);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        long Percentile(double p) => all.Length == 0 ? -1 : all[Math.Min(all.Length - 1, (int)(all.Length * p))];
        var ok = Enumerable.Range(0, settings.Connections).Sum(i => counts[i * 2]);
        var bad = Enumerable.Range(0, settings.Connections).Sum(i => counts[(i * 2) + 1]);
        return new LoadReport(ok, bad, elapsed, Percentile(0.5), Percentile(0.99), Percentile(0.999));
    }

    public static async Task PrepareAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        await using var line = await LineConnection.OpenAsync(settings.Endpoint, cancellationToken);
        for (var i = 0; i < settings.Keys; i++)
        {
            var status = await line.RoundTripAsync(Register($"bench{i}.example", settings.Token), cancellationToken);
            if (status is not (200 or 409))
            {
                throw new InvalidOperationException($"preparing bench{i}.example got status {status}");
            }
        }
    }

    private static string Render(LoadSettings settings, Random random) => settings.Command switch
    {
        "ping" => """{"command":"PING"}""",
        "verify" => $$"""{"command":"VERIFY","entity":"bench{{random.Next(settings.Keys)}}.example","type":"domain"}""",
        "reputation" => $$"""{"command":"REPUTATION","entity":"bench{{random.Next(settings.Keys)}}.example","type":"domain"}""",
        "report" => $$"""{"command":"REPORT","entity":"lg{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}}.example","type":"domain","assertion":"spam","rating":0.75,"auth":"{{settings.Token}}","nonce":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}}","timestamp":"{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""",
        _ => Register($"lg{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.example", settings.Token),
    };

    private static string Register(string entity, string? token) =>
        $$"""{"command":"REGISTER","entity":"{{entity}}","type":"domain","auth":"{{token}}","nonce":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}}","timestamp":"{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""";
}

/// <summary>One TLS connection speaking lines; certificate checks are off (a benchmark tool, loopback only).</summary>
internal sealed class LineConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[65_536];
    private int _start, _end;

    private LineConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    public static async Task<LineConnection> OpenAsync((string Host, int Port) endpoint, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            ApplicationProtocols = [new SslApplicationProtocol("repsec/1")],
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, cancellationToken);
        return new LineConnection(tcp, tls);
    }

    /// <summary>Sends one line and returns the status of its answer.</summary>
    public async Task<int> RoundTripAsync(string request, CancellationToken cancellationToken)
    {
        await _tls.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"), cancellationToken);
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var status = Status(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return status;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                throw new IOException("server closed the connection");
            }

            _end += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private static int Status(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf("\"status\":"u8);
        return at < 0 || line.Length < at + 12 ? -1 : int.Parse(line.Slice(at + 9, 3), CultureInfo.InvariantCulture);
    }
}
