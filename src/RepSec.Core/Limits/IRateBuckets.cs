namespace RepSec.Core.Limits;

/// <summary>A family of token buckets: each key has its own bucket of <see cref="Burst"/> tokens refilled at <see cref="PerSecond"/>.</summary>
public sealed record BucketRule(string Name, double PerSecond, int Burst);

/// <summary>
/// Where token buckets live: in this process (<see cref="MemoryRateBuckets"/>), or shared by every node of a cluster.
/// </summary>
public interface IRateBuckets
{
    /// <summary>Takes one token from the key's bucket. Null when taken, else the whole seconds to wait (at least one).</summary>
    ValueTask<int?> TakeAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull;

    /// <summary>Whether a token could be taken now, without taking it: null if so, else the whole seconds to wait.</summary>
    ValueTask<int?> PeekAsync<TKey>(BucketRule rule, TKey key, CancellationToken cancellationToken = default)
        where TKey : notnull;
}
