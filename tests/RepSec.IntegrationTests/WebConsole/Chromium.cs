using System.Diagnostics;

namespace RepSec.IntegrationTests.WebConsole;

/// <summary>
/// Debian's Chromium, headless, on a profile of the test's own (so the log key a page pins lasts from one visit to the
/// next): the page's DOM once its scripts have run, a screenshot of it, and what its console said.
/// </summary>
internal sealed class Chromium : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("repsec-chromium-").FullName;

    /// <summary>Where the screenshots of the console tests go (kept after the run, to be looked at).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "repsec-console-screenshots")).FullName;

    /// <summary>Loads <paramref name="url"/>, lets its scripts finish, and returns the DOM and the console's lines.</summary>
    public async Task<(string Dom, IReadOnlyList<string> Console)> VisitAsync(Uri url, string? screenshot = null)
    {
        var (dom, log) = await RunAsync(url, "--dump-dom");
        if (screenshot is not null)
        {
            await RunAsync(url, $"--screenshot={Path.Combine(Screenshots, screenshot)}", "--window-size=1000,1400");
        }

        return (dom, log.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal)).ToList());
    }

    private async Task<(string Output, string Log)> RunAsync(Uri url, params string[] what)
    {
        // The development certificate is trusted by flag: the profile is throwaway, and the page's own checks are what is tested.
        string[] args =
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--no-first-run",
            $"--user-data-dir={_profile}", "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", .. what, url.ToString(),
        ];
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("chromium", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("chromium is not installed (Debian package chromium; .ci/run installs it)");
        }

        using (process)
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var log = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (await output, await log);
        }
    }

    public void Dispose() => Directory.Delete(_profile, recursive: true);
}
