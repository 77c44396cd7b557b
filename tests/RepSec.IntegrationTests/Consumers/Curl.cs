using System.ComponentModel;
using System.Diagnostics;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>Debian's curl, as a firewall's update script runs it: the status, the response headers and the body.</summary>
public static class Curl
{
    public static async Task<CurlAnswer> GetAsync(string caPath, string url, bool http1 = false, params string[] extra)
    {
        var headers = Path.GetTempFileName();
        try
        {
            var arguments = new List<string> { "-s", "--cacert", caPath, "-D", headers, http1 ? "--http1.1" : "--http2", "--max-time", "60" };
            arguments.AddRange(extra);
            arguments.Add(url);
            var info = new ProcessStartInfo("curl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (Win32Exception)
            {
                throw new InvalidOperationException("curl is not installed (Debian package curl; .ci/run installs it)");
            }

            using (process)
            {
                var body = await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"curl {url} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
                var lines = (await File.ReadAllLinesAsync(headers)).Where(l => l.Length > 0).ToList();
                var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var fields = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .ToLookup(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
                return new CurlAnswer(status, lines[0], fields, body);
            }
        }
        finally
        {
            File.Delete(headers);
        }
    }
}

public sealed record CurlAnswer(int Status, string StatusLine, ILookup<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers[name.ToLowerInvariant()].FirstOrDefault();

    public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
