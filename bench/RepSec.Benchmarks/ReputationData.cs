using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// Reports N IPv4 addresses, 10.0.0.0 counting up, as <c>spam</c> with rating 0.9 (reporter "bench") in a data directory
/// (<see cref="DataFill"/>): each is then listed by the DNSBL and the blocklists at their default thresholds.
/// </summary>
internal static class ReputationData
{
    public static Task BuildAsync(string directory, int count)
    {
        var now = DateTimeOffset.UtcNow;
        return DataFill.RunAsync(directory, count, "addresses reported", async (services, i, ct) =>
        {
            var address = Address(i);
            var draft = ReportDraft.Create(new CanonicalEntity(EntityType.Ip, address, address), "bench", "spam", 0.9, 1, [], null, now, now.AddDays(90), TimeSpan.Zero);
            var outcome = await services.GetRequiredService<IReputationStore>().ReportAsync(draft, defaultTrust: 1, halfLifeDays: 30, ct);
            if (outcome.Status != ReportStatus.Done)
            {
                throw new InvalidOperationException($"{address}: {outcome.Status}");
            }
        });
    }

    /// <summary>The i-th address from 10.0.0.0.</summary>
    public static string Address(int i) => new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(0x0A000000 + i))).ToString();
}
