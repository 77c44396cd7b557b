using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>
/// A real repsecd process on loopback at port 0, configured through the environment (as an operator of a cluster
/// would, keeping connection strings off the command line). Its output is drained and kept for diagnostics.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private static readonly string Repsecd = Path.Combine(AppContext.BaseDirectory, "repsecd.dll");

    private readonly Process _process;
    private readonly List<string> _output;

    private NodeProcess(Process process, List<string> output, int port, int rdapPort)
    {
        _process = process;
        _output = output;
        Port = port;
        RdapPort = rdapPort;
    }

    public int Port { get; }

    public int RdapPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts <c>repsecd --data DATA</c> with <paramref name="environment"/> and waits until both listeners are up.</summary>
    public static async Task<NodeProcess> StartAsync(string data, IReadOnlyDictionary<string, string> environment)
    {
        var process = Process.Start(Info(environment, "--data", data, "--listen", "127.0.0.1", "--repsec-port", "0", "--rdap-port", "0"))!;
        var output = new List<string>();
        int? port = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.Add(line);
                }
            }
        });
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lock (output)
            {
                output.Add(line);
            }

            if (ListeningLine().Match(line) is { Success: true } repsec)
            {
                port = int.Parse(repsec.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (RdapLine().Match(line) is { Success: true } rdap && port is { } found)
            {
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync() is { } more)
                    {
                        lock (output)
                        {
                            output.Add(more);
                        }
                    }
                });
                return new NodeProcess(process, output, found, int.Parse(rdap.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        await process.WaitForExitAsync();
        throw new InvalidOperationException($"repsecd exited ({process.ExitCode}) before listening: {string.Join('\n', output)}");
    }

    /// <summary>Runs <c>repsecd ARGS</c> to completion (an operator command); returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithInputAsync(environment, input: null, args);

    /// <summary>Runs <c>repsecd ARGS</c> with <paramref name="input"/> on its standard input, as <c>--password-stdin</c> reads it.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunWithInputAsync(IReadOnlyDictionary<string, string> environment, string? input, params string[] args)
    {
        var info = Info(environment, args);
        info.RedirectStandardInput = input is not null;
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repsecd);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    [GeneratedRegex(@"RepSec listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"RDAP listening on https://127\.0\.0\.1:(\d+)/")]
    private static partial Regex RdapLine();
}
