using System.Diagnostics;
using System.Globalization;

namespace RepSec.Cli.Import;

/// <summary>
/// Progress on stderr: on a terminal a bar redrawn in place five times a second; otherwise (a log, a pipe) a plain
/// line every ten seconds. Rates are over the rows of this run.
/// </summary>
internal sealed class ImportProgress(TextWriter stderr, bool terminal, long totalBytes)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;

    public void Report(long rows, long rowsThisRun, long refused, long bytesRead, bool final = false)
    {
        var interval = terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(10);
        if (!final && _last is { } last && _clock.Elapsed - last < interval)
        {
            return;
        }

        _last = _clock.Elapsed;
        var rate = rowsThisRun / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var fraction = totalBytes > 0 ? Math.Clamp((double)bytesRead / totalBytes, 0, 1) : 1;
        var text = string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows, {refused:N0} refused, {rate:N0} rows/s");
        if (terminal)
        {
            const int Width = 30;
            var filled = (int)(fraction * Width);
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:F0}% {text}\u001b[K"));
            if (final)
            {
                stderr.WriteLine();
            }
        }
        else
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repsec import: {fraction * 100:F0}% of the file, {text}"));
        }

        stderr.Flush();
    }
}
