using System.Globalization;

namespace RepSec.Attack;

/// <summary>The server's resident set size from /proc/PID/status (Linux), sampled; nothing without a PID.</summary>
internal sealed class ServerMemory(int? pid)
{
    /// <summary>VmRSS in MB, or null when unknown.</summary>
    public double? Rss()
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Samples every 250 ms until cancelled; the highest seen.</summary>
    public async Task<double?> PeakAsync(CancellationToken stop)
    {
        double? peak = Rss();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (Rss() is { } now && (peak is null || now > peak))
            {
                peak = now;
            }
        }

        return peak;
    }
}
