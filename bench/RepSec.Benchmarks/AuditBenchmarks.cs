using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Transparency;

namespace RepSec.Benchmarks;

/// <summary>
/// AUDIT with inclusion proofs as the log grows: a full AUDIT request by an auditor (token authentication, history,
/// openings, three proofs, the signed checkpoint) through the dispatcher (no transport), the proofs alone, and CHECKPOINT, on logs
/// of 1,000 and 1,000,000 entries (<see cref="AuditLogData"/>). The requirement: 1M costs at most 1.5x 1k.
/// </summary>
[MemoryDiagnoser]
public class AuditBenchmarks
{
    private AuditLogData _data = null!;
    private BenchServer _server = null!;
    private TransparencyLog _log = null!;
    private byte[] _audit = [], _checkpoint = [];

    [Params(1_000, 1_000_000)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _data = await AuditLogData.OpenOrBuildAsync(LogSize);
        _server = BenchServer.Start(_data.Directory);
        _log = _server.Services.GetRequiredService<TransparencyLog>();
        _audit = BenchServer.Line($$"""{"command":"AUDIT","entity":"{{AuditLogData.Entity}}","type":"domain","auth":"{{_data.Token}}"}""");
        _checkpoint = BenchServer.Line("""{"command":"CHECKPOINT"}""");
        await CheckAuditAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _server.DisposeAsync();

    [Benchmark]
    public Task<long> Audit() => _server.RoundTripAsync(_audit);

    [Benchmark]
    public async Task<int> InclusionProofs() => (await _log.InclusionProofsAsync(_data.EntityIndices, LogSize)).Count;

    [Benchmark]
    public Task<long> Checkpoint() => _server.RoundTripAsync(_checkpoint);

    /// <summary>The measured request must be the real answer: 200, three entries where they were put, the whole log.</summary>
    private async Task CheckAuditAsync()
    {
        using var answer = JsonDocument.Parse(await _server.RequestAsync(_audit));
        var root = answer.RootElement;
        var indices = root.TryGetProperty("entries", out var entries)
            ? entries.EnumerateArray().Select(e => e.GetProperty("log_index").GetInt64()).ToArray()
            : [];
        if (root.GetProperty("status").GetInt32() != 200 || !indices.SequenceEqual(_data.EntityIndices)
            || root.GetProperty("tree_size").GetInt64() != LogSize)
        {
            throw new InvalidOperationException($"unexpected AUDIT answer: {root}");
        }
    }
}
