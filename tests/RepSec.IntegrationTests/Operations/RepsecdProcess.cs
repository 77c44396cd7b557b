using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RepSec.IntegrationTests.Operations;

/// <summary>A repsecd process run as an operator or a service manager runs it, with its standard output read line by line.</summary>
internal sealed class RepsecdProcess : IAsyncDisposable
{
    private static readonly string Repsecd = Path.Combine(AppContext.BaseDirectory, "repsecd.dll");

    private readonly Process _process;

    private RepsecdProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static RepsecdProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repsecd);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();
        return new RepsecdProcess(process);
    }

    /// <summary>The next line of standard output, or null at its end or after <paramref name="timeoutSeconds"/>.</summary>
    public async Task<string?> ReadLineAsync(int timeoutSeconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            return await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, as a service manager stops a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(int timeoutSeconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>A port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
