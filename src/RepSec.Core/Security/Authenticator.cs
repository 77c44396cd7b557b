using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RepSec.Core.Security;

/// <summary>
/// Resolves bearer tokens and client certificates to principals. Lookups are cached for one second, so a
/// revocation made by <c>repsecd token revoke</c> (possibly another process) takes effect within a second
/// while the hot path stays off the database.
/// </summary>
public sealed class Authenticator(IPrincipalStore store, TimeProvider time) : IAuthenticator
{
    private const int MaxCacheEntries = 100_000;
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedCertificate> _certificates = new(StringComparer.Ordinal);

    /// <summary>The principal for a presented token, or null when it is unknown, malformed or revoked.</summary>
    public async ValueTask<Principal?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryParse(token, out var idSpan, out _))
        {
            return null;
        }

        var now = time.GetTimestamp();
        var lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(idSpan, out var cached) || time.GetElapsedTime(cached.LoadedAt, now) > CacheLifetime)
        {
            var id = idSpan.ToString();
            var credential = await store.FindTokenAsync(id, cancellationToken);
            cached = new CachedToken(credential, now);
            Remember(_tokens, id, cached);
        }

        if (cached.Credential is not { Revoked: false } credentialFound)
        {
            return null;
        }

        BearerToken.TryParse(token, out _, out var secret);
        return BearerToken.Matches(secret, credentialFound.SecretHash) ? credentialFound.Principal : null;
    }

    /// <summary>The principal mapped to a client certificate, or null.</summary>
    public async ValueTask<Principal?> AuthenticateCertificateAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(certificate);
        var now = time.GetTimestamp();
        if (!_certificates.TryGetValue(fingerprint, out var cached) || time.GetElapsedTime(cached.LoadedAt, now) > CacheLifetime)
        {
            cached = new CachedCertificate(await store.FindByCertificateAsync(fingerprint, cancellationToken), now);
            Remember(_certificates, fingerprint, cached);
        }

        return cached.Principal;
    }

    /// <summary>Drops a cached token, so a revocation announced by another process applies at once rather than within a second.</summary>
    public void ForgetToken(string tokenId) => _tokens.TryRemove(tokenId, out _);

    /// <summary>Drops a cached certificate mapping (see <see cref="ForgetToken"/>).</summary>
    public void ForgetCertificate(string fingerprint) => _certificates.TryRemove(fingerprint, out _);

    /// <summary>Lowercase hex SHA-256 of the certificate's DER encoding.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        // Unknown ids are cached too (brute force must not reach the database), so the cache is bounded.
        if (cache.Count >= MaxCacheEntries)
        {
            cache.Clear();
        }

        cache[key] = value;
    }

    private readonly record struct CachedToken(TokenCredential? Credential, long LoadedAt);

    private readonly record struct CachedCertificate(Principal? Principal, long LoadedAt);
}
