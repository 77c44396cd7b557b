using BenchmarkDotNet.Attributes;
using RepSec.Core.Registry;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;
using RepSec.Server.Rdap;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Benchmarks;

/// <summary>
/// The RDAP work of one uncached lookup without sockets: parsing the target, and writing the domain answer with
/// its registrant card and redactions, anonymously and for a privileged reader.
/// </summary>
[MemoryDiagnoser]
public class RdapBenchmarks
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly RdapOptions _options = new();
    private readonly EntityRecord _record;
    private readonly Contact _contact;
    private readonly RdapView _anonymous;
    private readonly RdapView _privileged;

    public RdapBenchmarks()
    {
        var policy = new DisclosurePolicy(_options);
        var entry = Registration.Create(EntityType.Domain, "example.com", "example.com", "alice", """{"note":"x"}""", At).Log;
        _record = new EntityRecord(EntityType.Domain, "example.com", "example.com", "alice", """{"note":"x"}""", At, 7,
            new CommittedEntry(entry.Secret, entry.Commitments, entry.LeafAt(7).Hash()));
        _contact = new Contact("alice", new Dictionary<string, string>
        {
            ["fn"] = "Alice Example", ["org"] = "Example Holdings", ["email"] = "alice@example.net", ["country"] = "US",
        }, At);
        _anonymous = new RdapView("https://rdap.example", Principal.Anonymous, policy, _options, At);
        _privileged = _anonymous with { Reader = new Principal("audra", Role.Auditor) };
    }

    [Benchmark]
    public bool ParseDomainLookup() => RdapQueryParser.TryParse("/rdap/domain/Example.COM", out _, out _);

    [Benchmark]
    public bool ParseSearch() => RdapQueryParser.TryParse("/rdap/domains?name=exam*&sort=registrationDate:d&count=true", out _, out _);

    [Benchmark]
    public int WriteAnonymousDomain() => Write(_anonymous);

    [Benchmark]
    public int WritePrivilegedDomain() => Write(_privileged);

    private int Write(RdapView view)
    {
        using var writer = new RdapWriter(view);
        writer.WriteLookup(_record, _contact);
        return writer.WrittenMemory.Length;
    }
}
