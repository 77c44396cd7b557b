using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// Principals' HTTP password credentials for Basic and Digest. Stored credentials are cached for a second (a
/// password change or removal applies within one), and a verified Basic password is remembered for five
/// minutes under a keyed hash, so the slow hash runs once per client rather than once per request.
/// </summary>
internal sealed class PasswordCredentials(IPrincipalStore store, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private static readonly TimeSpan StoredLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VerifiedLifetime = TimeSpan.FromMinutes(5);

    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (Stored Value, long LoadedAt)> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Hash, long VerifiedAt)> _verified = new(StringComparer.Ordinal);

    /// <summary>The principal and its credential, or nulls when either is missing.</summary>
    public async ValueTask<(Principal? Principal, PasswordCredential? Credential)> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (!_stored.TryGetValue(name, out var cached) || time.GetElapsedTime(cached.LoadedAt, now) > StoredLifetime)
        {
            var principal = Principal.IsValidName(name) ? await store.FindPrincipalAsync(name, cancellationToken) : null;
            var credential = principal is null ? null : await store.FindPasswordAsync(name, cancellationToken);
            cached = (new Stored(principal, credential), now);
            Remember(_stored, name, cached);
        }

        return (cached.Value.Principal, cached.Value.Credential);
    }

    /// <summary>Checks a Basic user:password; null when the user, its password or the password itself is wrong.</summary>
    public async ValueTask<Principal?> VerifyBasicAsync(string name, string password, CancellationToken cancellationToken)
    {
        var (principal, credential) = await FindAsync(name, cancellationToken);
        if (principal is null || credential is null)
        {
            // Same work as a real check, so response time does not tell which user names exist.
            await Task.Run(() => PasswordHasher.Verify(password, new byte[16], PasswordHasher.DefaultIterations, new byte[32]), cancellationToken);
            return null;
        }

        var key = Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{name}\0{password}")));
        var now = time.GetTimestamp();
        if (_verified.TryGetValue(key, out var verified) && time.GetElapsedTime(verified.VerifiedAt, now) < VerifiedLifetime
            && CryptographicOperations.FixedTimeEquals(verified.Hash, credential.Hash))
        {
            return principal;
        }

        // The slow hash runs on the thread pool: socket event loops must never wait a quarter second.
        if (!await Task.Run(() => PasswordHasher.Verify(password, credential.Salt, credential.Iterations, credential.Hash), cancellationToken))
        {
            return null;
        }

        Remember(_verified, key, (credential.Hash, now));
        return principal;
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
