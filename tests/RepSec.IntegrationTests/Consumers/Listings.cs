using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Reputation;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Consumers;

/// <summary>What the tests of the DNSBL and the blocklists share.</summary>
public static class Listings
{
    /// <summary>Waits until the server's reputation table has caught up with every change made so far.</summary>
    public static async Task SettledAsync(TestServer server)
    {
        var table = server.Host.Services.GetRequiredService<ReputationTable>();
        var store = server.Host.Services.GetRequiredService<IReputationStore>();
        var last = (await store.GetChangesAsync(0, int.MaxValue)).LastOrDefault()?.Sequence ?? 0;
        for (var i = 0; i < 400 && table.Version < last; i++)
        {
            await Task.Delay(25);
        }

        Assert.True(table.Version >= last, $"the table did not catch up with the feed ({table.Version} < {last})");
    }

    /// <summary>The address's 32 nibbles, least significant first (RFC 5782 section 2.4).</summary>
    public static string Nibbles(string address) =>
        string.Join('.', Convert.ToHexStringLower(IPAddress.Parse(address).GetAddressBytes()).Reverse());
}

/// <summary>A child process that is killed when the test is done with it (and what it printed, when asked to keep it).</summary>
public sealed class ChildProcess(Process process, Func<string>? output = null) : IDisposable
{
    public Process Process => process;

    public string Output => output?.Invoke() ?? "";

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }
}
