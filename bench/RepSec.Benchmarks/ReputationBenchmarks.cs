using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// REPUTATION for an entity with 10 and with 10,000 counted reports (each from its own reporter, at different
/// times and weights): the full request through the dispatcher (no transport), and the store read plus reputon computation
/// alone. Aggregates are maintained on write, so both sizes should cost the same.
/// </summary>
[MemoryDiagnoser]
public class ReputationBenchmarks
{
    private const string Entity = "reported.example";
    private string _directory = null!;
    private BenchServer _server = null!;
    private ReputationService _reputation = null!;
    private CanonicalEntity _entity;
    private byte[] _request = [];

    [Params(10, 10_000)]
    public int Reports { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("repsec-bench-reputation-").FullName;
        _server = BenchServer.Start(_directory);
        _reputation = _server.Services.GetRequiredService<ReputationService>();
        EntityCanonicalizer.TryCanonicalize(EntityType.Domain, Entity, out _entity, out _);
        var store = _server.Services.GetRequiredService<IReputationStore>();
        var start = DateTimeOffset.UtcNow.AddDays(-20);
        var writes = new List<Task<ReportOutcome>>(Reports);
        for (var i = 0; i < Reports; i++)
        {
            var at = start.AddSeconds(i * 100);
            var draft = ReportDraft.Create(_entity, $"reporter{i}", ReputationAssertions.Spam, (i % 10) / 10.0, 0.5 + (i % 5) / 10.0, ["bulk"],
                null, at, at.AddDays(60), TimeSpan.Zero);
            writes.Add(store.ReportAsync(draft, 1, 30).AsTask());
        }

        await Task.WhenAll(writes);
        _request = BenchServer.Line($$"""{"command":"REPUTATION","entity":"{{Entity}}","type":"domain"}""");
        await CheckAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public Task<long> Reputation() => _server.RoundTripAsync(_request);

    [Benchmark]
    public async Task<int> StoreAndReputons() => (await _reputation.ViewAsync(_entity, CancellationToken.None)).Reputons.Count;

    /// <summary>The measured answer must be the real one: 200 and one reputon counting every report.</summary>
    private async Task CheckAsync()
    {
        using var answer = JsonDocument.Parse(await _server.RequestAsync(_request));
        var root = answer.RootElement;
        var reputons = root.TryGetProperty("reputons", out var array) ? array.EnumerateArray().ToList() : [];
        if (root.GetProperty("status").GetInt32() != 200 || reputons.Count != 1 || reputons[0].GetProperty("sample-size").GetInt64() != Reports)
        {
            throw new InvalidOperationException($"unexpected REPUTATION answer: {root}");
        }
    }
}
