using System.Diagnostics;

namespace RepSec.Benchmarks;

/// <summary>
/// Fills a data directory through the real SQLite store and its group-commit writer, thousands of writes in flight so
/// each transaction is full: the same rows and log entries as writing through the protocol, without TLS and request
/// handling in the way.
/// </summary>
internal static class DataFill
{
    private const int Outstanding = 8_192;

    /// <summary>Runs <paramref name="write"/> for 0..<paramref name="count"/>-1 against the directory's services, printing progress per million.</summary>
    public static async Task RunAsync(string directory, int count, string done, Func<IServiceProvider, int, CancellationToken, ValueTask> write)
    {
        var clock = Stopwatch.StartNew();
        await using var services = BenchServer.BuildServices(directory);
        var finished = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Outstanding }, async (i, ct) =>
        {
            await write(services, i, ct);
            if (Interlocked.Increment(ref finished) % 1_000_000 == 0)
            {
                Console.WriteLine($"// {finished:N0} {done}, {clock.Elapsed.TotalSeconds:F0} s");
            }
        });

        Console.WriteLine($"// {count:N0} {done} under {directory} in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
