using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using RepSec.Testing;

namespace RepSec.IntegrationTests.Operations;

/// <summary>
/// contrib/systemd/repsecd.service as systemd reads it: <c>systemd-analyze verify</c> without a warning, and
/// <c>systemd-analyze security</c>'s exposure rating, offline, in a root of the test's own.
/// </summary>
public sealed partial class SystemdUnitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("repsec-systemd-root-").FullName;

    public SystemdUnitTests()
    {
        // systemd's own units (the targets the unit is ordered after), the unit, and an executable where ExecStart points.
        CopyDirectory("/usr/lib/systemd/system", Path.Combine(_root, "usr", "lib", "systemd", "system"));
        var units = Directory.CreateDirectory(Path.Combine(_root, "etc", "systemd", "system")).FullName;
        File.Copy(Repository.File("contrib", "systemd", "repsecd.service"), Path.Combine(units, "repsecd.service"));
        var binary = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "usr", "local", "bin")).FullName, "repsecd");
        File.WriteAllText(binary, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Systemd_reads_the_unit_without_a_warning()
    {
        var (exit, output) = await SystemdAnalyzeAsync("verify", $"--root={_root}", "repsecd.service");

        Assert.True(exit == 0 && output.Length == 0, output);
    }

    [Fact]
    public async Task The_unit_is_rated_well_hardened()
    {
        var (exit, output) = await SystemdAnalyzeAsync("security", "--offline=yes", $"--root={_root}", "repsecd.service");

        var rating = Exposure().Match(output);
        Assert.True(exit == 0 && rating.Success, output);
        Assert.True(double.Parse(rating.Groups[1].Value, CultureInfo.InvariantCulture) <= 2.0, rating.Value);
    }

    private static async Task<(int Exit, string Output)> SystemdAnalyzeAsync(params string[] args)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("systemd-analyze", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("systemd-analyze is not installed (Debian package systemd; .ci/run installs it)");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await output + await error).Trim());
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(Path.Combine(to, info.Name), target);
            }
            else
            {
                File.Copy(file, Path.Combine(to, info.Name));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is { } target)
            {
                Directory.CreateSymbolicLink(Path.Combine(to, info.Name), target);
            }
            else
            {
                CopyDirectory(directory, Path.Combine(to, info.Name));
            }
        }
    }

    [GeneratedRegex(@"Overall exposure level for repsecd\.service: ([0-9.]+)")]
    private static partial Regex Exposure();
}
