using System.Collections.Concurrent;
using RepSec.Core.Registry;

namespace RepSec.Server.Rdap;

/// <summary>
/// Anonymous 200 answers by host and request target, so repeated public lookups skip the store and the JSON
/// writer. An entry lives one second at most, and not past a registry change made through this process; other
/// processes' changes (an operator editing contact data, another node) show within that second.
/// </summary>
internal sealed class AnswerCache(RegistryVersion version, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    // Keyed by target alone (hashing one short string per request); the host, which shapes the links, must match too.
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string host, string target, out ReadOnlyMemory<byte> body)
    {
        if (_entries.TryGetValue(target, out var entry) && entry.Version == version.Current
            && string.Equals(entry.Host, host, StringComparison.Ordinal) && time.GetElapsedTime(entry.CreatedAt) < Lifetime)
        {
            body = entry.Body;
            return true;
        }

        body = default;
        return false;
    }

    /// <summary>Remembers an answer; <paramref name="versionBefore"/> is the registry version read before the store was asked.</summary>
    public void Add(string host, string target, long versionBefore, ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBodyBytes)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[target] = new Entry(host, body.ToArray(), versionBefore, time.GetTimestamp());
    }

    public long Version => version.Current;

    private sealed record Entry(string Host, byte[] Body, long Version, long CreatedAt);
}
