using BenchmarkDotNet.Attributes;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Benchmarks;

/// <summary>
/// RDAP searches over the in-memory index (SQLite keeps no index by name): a prefix visits every registered name, an
/// exact name is one lookup. Names bench0..bench{N-1}.example, as the anchors register them.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private EntityIndex _index = null!;

    [Params(100_000, 1_000_000)]
    public int Names { get; set; }

    [GlobalSetup]
    public void Fill()
    {
        _index = new EntityIndex();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Names; i++)
        {
            var key = $"bench{i}.example";
            _index.Set(new EntityRecord(EntityType.Domain, key, key, "bench", null, at.AddMilliseconds(i), i, null));
        }
    }

    /// <summary>A page of 10 names starting "bench12345" (11 match at a million names).</summary>
    [Benchmark]
    public int PrefixPage() => _index.Search(Search("bench12345", prefix: true)).Count;

    /// <summary>The first page of every name, newest first, as a registration-date search asks.</summary>
    [Benchmark]
    public int NewestPage() =>
        _index.Search(new RegistrySearch([new SearchTerm(EntityType.Domain, "", IsPrefix: true)], SearchOrder.RegisteredDescending, null, 10)).Count;

    [Benchmark]
    public int ExactName() => _index.Search(Search("bench12345.example", prefix: false)).Count;

    private static RegistrySearch Search(string text, bool prefix) =>
        new([new SearchTerm(EntityType.Domain, text, prefix)], SearchOrder.NameAscending, null, 10);
}
