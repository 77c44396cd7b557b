using BenchmarkDotNet.Running;
using RepSec.Benchmarks;

// `registry DIR N`: a data directory with bench0..bench{N-1}.example registered through the real store, for measuring
// a server started on it (start-up, memory, log verify, VERIFY over the whole key space). Otherwise: the benchmarks.
if (args is ["registry", var directory, var count])
{
    await RegistryData.BuildAsync(directory, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

// `reports DIR N`: N addresses from 10.0.0.0 reported as spam, listed by the DNSBL and the blocklists (bench/consumers-bench.sh).
if (args is ["reports", var reportsDirectory, var reports])
{
    await ReputationData.BuildAsync(reportsDirectory, int.Parse(reports, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
