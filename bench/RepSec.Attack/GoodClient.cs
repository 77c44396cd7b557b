using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace RepSec.Attack;

/// <summary>Latencies of one kind of request, in milliseconds, and its errors.</summary>
internal sealed class Latencies
{
    private readonly List<double> _samples = [];

    public int Errors { get; private set; }

    public int Count => _samples.Count;

    public void Add(double milliseconds) => _samples.Add(milliseconds);

    public void Error() => Errors++;

    /// <summary><c>p50 / p99 / max</c> in ms.</summary>
    public string Summary()
    {
        if (_samples.Count == 0)
        {
            return "- / - / -";
        }

        var sorted = _samples.Order().ToArray();
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
        return string.Create(CultureInfo.InvariantCulture, $"{At(0.5):F1} / {At(0.99):F1} / {sorted[^1]:F1}");
    }
}

/// <summary>
/// The well-behaved client, from 127.0.0.1: every 50 ms a PING and a VERIFY on one held RepSec connection and an
/// RDAP lookup of the domain over one kept-alive HTTPS connection (20 lookups a second: within the anonymous RDAP
/// limit). Each answer is checked; a wrong answer, a failure or no answer within 10 s is an error, after which
/// the client reconnects as a real one would.
/// </summary>
internal sealed class GoodClient(Net net) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http = net.Http(AttackSettings.GoodAddress);
    private readonly string _verify = $$"""{"command":"VERIFY","entity":"{{net.Settings.Domain}}","type":"domain"}""";
    private LineClient? _line;

    public Latencies RepSec { get; } = new();

    public Latencies Rdap { get; } = new();

    /// <summary>Opens both connections with one unmeasured round.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _line = await LineClient.OpenAsync(net, AttackSettings.GoodAddress, cancellationToken);
        await _line.RoundTripAsync("""{"command":"PING"}""", cancellationToken);
        using var response = await _http.GetAsync($"domain/{net.Settings.Domain}", cancellationToken);
    }

    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            var round = clock.Elapsed;
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(Patience);
            await RepSecRoundAsync(patience.Token);
            await RdapRoundAsync(patience.Token);
            var wait = round + Interval - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_line is not null)
        {
            await _line.DisposeAsync();
        }
    }

    private async Task RepSecRoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            _line ??= await LineClient.OpenAsync(net, AttackSettings.GoodAddress, cancellationToken);
            await TimeAsync(RepSec, async () => (await _line.RoundTripAsync("""{"command":"PING"}""", cancellationToken))?.Contains("\"status\":200", StringComparison.Ordinal) == true);
            await TimeAsync(RepSec, async () => (await _line.RoundTripAsync(_verify, cancellationToken))?.Contains("\"verified\":true", StringComparison.Ordinal) == true);
        }
        catch (Exception exception) when (exception is OperationCanceledException || Pool.IsNetwork(exception))
        {
            RepSec.Error();
            if (_line is not null)
            {
                await _line.DisposeAsync();
                _line = null;
            }
        }
    }

    private async Task RdapRoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TimeAsync(Rdap, async () =>
            {
                using var response = await _http.GetAsync($"domain/{net.Settings.Domain}", cancellationToken);
                return response.StatusCode == HttpStatusCode.OK
                    && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains(net.Settings.Domain, StringComparison.OrdinalIgnoreCase);
            });
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException || Pool.IsNetwork(exception))
        {
            Rdap.Error();
        }
    }

    private static async Task TimeAsync(Latencies latencies, Func<Task<bool>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var correct = await request();
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (!correct)
        {
            latencies.Error();
        }
    }
}
