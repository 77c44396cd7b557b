using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// Principals' HTTP password credentials for Basic and Digest. Stored credentials are cached for a second (a
/// password change or removal applies within one), and a verified Basic password is remembered for five
/// minutes under a keyed hash, so the slow hash runs once per client rather than once per request. One address
/// has at most one slow hash in flight (a parallel burst of guesses would otherwise all pass the failure throttle
/// before the first failure is counted), and all addresses together at most one per core.
/// </summary>
internal sealed class PasswordCredentials(IPrincipalStore store, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private static readonly TimeSpan StoredLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VerifiedLifetime = TimeSpan.FromMinutes(5);

    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (Stored Value, long LoadedAt)> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Hash, long VerifiedAt)> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, byte> _hashing = new();
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);

    /// <summary>The principal and its credential, or nulls when either is missing.</summary>
    public async ValueTask<(Principal? Principal, PasswordCredential? Credential)> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (!_stored.TryGetValue(name, out var cached) || time.GetElapsedTime(cached.LoadedAt, now) > StoredLifetime)
        {
            if (!Principal.IsValidName(name))
            {
                // Not cached: any string can be sent as a user name, and only real names deserve memory.
                return (null, null);
            }

            var principal = await store.FindPrincipalAsync(name, cancellationToken);
            var credential = principal is null ? null : await store.FindPasswordAsync(name, cancellationToken);
            cached = (new Stored(principal, credential), now);
            Remember(_stored, name, cached);
        }

        return (cached.Value.Principal, cached.Value.Credential);
    }

    /// <summary>
    /// Checks a Basic user:password from <paramref name="address"/>: the principal, or null when the user, its
    /// password or the password itself is wrong; <c>Busy</c> when that address already has a check running.
    /// </summary>
    public async ValueTask<(Principal? Principal, bool Busy)> VerifyBasicAsync(string name, string password, IPAddress address, CancellationToken cancellationToken)
    {
        var (principal, credential) = await FindAsync(name, cancellationToken);
        var key = Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{name}\0{password}")));
        var now = time.GetTimestamp();
        if (principal is not null && credential is not null && _verified.TryGetValue(key, out var verified)
            && time.GetElapsedTime(verified.VerifiedAt, now) < VerifiedLifetime && CryptographicOperations.FixedTimeEquals(verified.Hash, credential.Hash))
        {
            return (principal, false);
        }

        if (!_hashing.TryAdd(address, 0))
        {
            return (null, true);
        }

        try
        {
            await _cores.WaitAsync(cancellationToken);
            try
            {
                // The slow hash runs on the thread pool: socket event loops must never wait a quarter second. An
                // unknown user costs the same work, so response time does not tell which user names exist.
                var (salt, iterations, hash) = credential is null
                    ? (new byte[16], PasswordHasher.DefaultIterations, new byte[32])
                    : (credential.Salt, credential.Iterations, credential.Hash);
                var matches = await Task.Run(() => PasswordHasher.Verify(password, salt, iterations, hash), cancellationToken);
                if (!matches || principal is null || credential is null)
                {
                    return (null, false);
                }
            }
            finally
            {
                _cores.Release();
            }
        }
        finally
        {
            _hashing.TryRemove(address, out _);
        }

        Remember(_verified, key, (credential.Hash, now));
        return (principal, false);
    }

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }

        cache[key] = value;
    }

    private sealed record Stored(Principal? Principal, PasswordCredential? Credential);
}
