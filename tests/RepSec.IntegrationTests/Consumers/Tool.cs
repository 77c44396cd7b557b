using System.ComponentModel;
using System.Diagnostics;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>Starts the third-party programs these tests drive, saying which Debian package is missing when one is.</summary>
public static class Tool
{
    /// <summary>Starts <paramref name="program"/> with its output redirected.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, string package, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        try
        {
            return Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException($"{program} is not installed (Debian package {package}; .ci/run installs it)");
        }
    }

    /// <summary>Runs <paramref name="program"/> to its end: its exit code and what it printed on each stream.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, string package)
    {
        using var process = Start(program, arguments, package);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
