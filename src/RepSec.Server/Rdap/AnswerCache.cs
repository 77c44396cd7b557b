using System.Collections.Concurrent;
using RepSec.Core.Registry;

namespace RepSec.Server.Rdap;

/// <summary>
/// Anonymous 200 answers by request target (and host), so repeated public lookups skip the store and the JSON
/// writer. An entry lives one second at most, and not past a registry change made through this process; other
/// processes' changes (an operator editing contact data, another node) show within that second. The cache holds
/// at most <see cref="MaxBytes"/> of answers: clients choose the targets, so they must not choose its size.
/// </summary>
internal sealed class AnswerCache(RegistryVersion version, TimeProvider time)
{
    public const long MaxBytes = 16 * 1024 * 1024;
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    // Keyed by target alone (hashing one short string per request); the host, which shapes the links, must match too.
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _bytes;

    public long Version => version.Current;

    public bool TryGet(string host, string target, out ReadOnlyMemory<byte> body)
    {
        body = default;
        if (!_entries.TryGetValue(target, out var entry))
        {
            return false;
        }

        if (entry.Version != version.Current || time.GetElapsedTime(entry.CreatedAt) >= Lifetime)
        {
            if (_entries.TryRemove(new KeyValuePair<string, Entry>(target, entry)))
            {
                Interlocked.Add(ref _bytes, -entry.Body.Length);
            }

            return false;
        }

        if (!string.Equals(entry.Host, host, StringComparison.Ordinal))
        {
            return false;
        }

        body = entry.Body;
        return true;
    }

    /// <summary>Remembers an answer; <paramref name="versionBefore"/> is the registry version read before the store was asked.</summary>
    public void Add(string host, string target, long versionBefore, ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBodyBytes)
        {
            return;
        }

        if (Interlocked.Add(ref _bytes, body.Length) > MaxBytes)
        {
            // Full: start over rather than track ages; the entries would all be gone within a second anyway.
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, body.Length);
        }

        var entry = new Entry(host, body.ToArray(), versionBefore, time.GetTimestamp());
        _entries.AddOrUpdate(target, entry, (_, old) =>
        {
            Interlocked.Add(ref _bytes, -old.Body.Length);
            return entry;
        });
    }

    private sealed record Entry(string Host, byte[] Body, long Version, long CreatedAt);
}
