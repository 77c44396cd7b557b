using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// Reports N IPv4 addresses, 10.0.0.0 counting up, as <c>spam</c> with rating 0.9 (reporter "bench"), through the real
/// SQLite store, thousands in flight: each is then listed by the DNSBL and the blocklists at their default thresholds.
/// </summary>
internal static class ReputationData
{
    private const int Outstanding = 8_192;

    public static async Task BuildAsync(string directory, int count)
    {
        var clock = Stopwatch.StartNew();
        await using var services = BenchServer.BuildServices(directory);
        var store = services.GetRequiredService<IReputationStore>();
        var now = DateTimeOffset.UtcNow;
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Outstanding }, async (i, ct) =>
        {
            var address = Address(i);
            var draft = ReportDraft.Create(new CanonicalEntity(EntityType.Ip, address, address), "bench", "spam", 0.9, 1, [], null, now, now.AddDays(90), TimeSpan.Zero);
            var outcome = await store.ReportAsync(draft, defaultTrust: 1, halfLifeDays: 30, ct);
            if (outcome.Status != ReportStatus.Done)
            {
                throw new InvalidOperationException($"{address}: {outcome.Status}");
            }

            if (Interlocked.Increment(ref done) % 1_000_000 == 0)
            {
                Console.WriteLine($"// {done:N0} reported, {clock.Elapsed.TotalSeconds:F0} s");
            }
        });

        Console.WriteLine($"// {count:N0} addresses reported under {directory} in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The i-th address from 10.0.0.0.</summary>
    public static string Address(int i) => new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(0x0A000000 + i))).ToString();
}
