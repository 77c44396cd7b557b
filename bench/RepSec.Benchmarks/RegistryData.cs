using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// Registers bench0..bench{N-1}.example (owner "bench") in a data directory through the real SQLite store and its
/// group-commit writer, thousands in flight, so each transaction is full: the same rows and log entries as
/// registering them through the protocol, without TLS and request handling in the way.
/// </summary>
internal static class RegistryData
{
    private const int Outstanding = 8_192;

    public static async Task BuildAsync(string directory, int count)
    {
        var clock = Stopwatch.StartNew();
        await using var services = BenchServer.BuildServices(directory);
        var store = services.GetRequiredService<IRegistryStore>();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Outstanding }, async (i, ct) =>
        {
            var name = $"bench{i}.example";
            var outcome = await store.RegisterAsync(Registration.Create(EntityType.Domain, name, name, "bench", null, DateTimeOffset.UtcNow), ct);
            if (outcome.Status is not (WriteStatus.Done or WriteStatus.AlreadyRegistered))
            {
                throw new InvalidOperationException($"{name}: {outcome.Status}");
            }

            if (Interlocked.Increment(ref done) % 1_000_000 == 0)
            {
                Console.WriteLine($"// {done:N0} registered, {clock.Elapsed.TotalSeconds:F0} s");
            }
        });

        Console.WriteLine($"// {count:N0} registered under {directory} in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
