using System.Globalization;
using System.Security.Cryptography;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// HTTP Digest authentication (RFC 7616) with qop=auth, for SHA-256 and MD5 and their <c>-sess</c> variants.
/// The server stores no passwords, only per-realm secrets H(username ":" realm ":" password) made by
/// <see cref="ComputeSecret"/>. Nonces are stateless: they carry their issue time under a MAC, so any node that
/// shares the nonce key can check them. Only nonce counts of authenticated requests are remembered, so clients
/// that do not know a password cannot fill the replay record. Safe for concurrent use.
/// </summary>
internal sealed partial class DigestAuthentication
{
    /// <summary>How long a nonce is accepted when the operator configures nothing else.</summary>
    public static readonly TimeSpan DefaultNonceLifetime = TimeSpan.FromSeconds(300);

    /// <summary>The only quality of protection offered: auth-int would need the whole body before authenticating.</summary>
    private const string QopAuth = "auth";

    private const int MaxRealmLength = 256;
    private const int MinNonceKeyLength = 16;

    /// <summary>Nodes sharing a nonce key may disagree on the time by this much.</summary>
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Stands in for the secret of an unknown user, so that case costs the same hashing as a real one.</summary>
    private static readonly byte[] UnknownUserSecret = new byte[SHA256.HashSizeInBytes];

    private readonly string _realm;
    private readonly string _quotedRealm;
    private readonly byte[] _nonceKey;
    private readonly byte[] _nonceMacPrefix;
    private readonly string _opaque;
    private readonly TimeProvider _time;
    private readonly long _lifetimeMs;
    private readonly DigestReplayTracker _replay;

    public DigestAuthentication(string realm, ReadOnlySpan<byte> nonceKey, TimeProvider time, TimeSpan nonceLifetime,
        int maxTrackedNonces = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentNullException.ThrowIfNull(time);
        // The realm goes into response headers, which carry ASCII only.
        if (realm.Length > MaxRealmLength || realm.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException($"The realm must be at most {MaxRealmLength} printable ASCII characters.", nameof(realm));
        }

        if (nonceKey.Length < MinNonceKeyLength)
        {
            throw new ArgumentException($"The nonce key must be at least {MinNonceKeyLength} bytes.", nameof(nonceKey));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(nonceLifetime, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedNonces, 1);
        _realm = realm;
        _quotedRealm = Quote(realm);
        _nonceKey = nonceKey.ToArray();
        _nonceMacPrefix = NonceMacPrefix(realm);
        _opaque = Opaque(_nonceKey, realm);
        _time = time;
        _lifetimeMs = (long)nonceLifetime.TotalMilliseconds;
        _replay = new DigestReplayTracker(maxTrackedNonces, nonceLifetime);
    }

    /// <summary>The realm this instance authenticates for.</summary>
    public string Realm => _realm;

    /// <summary>Nonces whose counts are currently remembered (for metrics and tests).</summary>
    public int TrackedNonces => _replay.Count;

    /// <summary>A fresh random nonce key for one process (or to be shared by the nodes of a cluster).</summary>
    public static byte[] NewNonceKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// The <c>WWW-Authenticate</c> values for a 401, strongest first (RFC 7616 §3.7: clients take the first they
    /// support). Both share one fresh nonce. With <paramref name="stale"/> the client may retry without prompting.
    /// </summary>
    public IReadOnlyList<string> Challenges(bool stale)
    {
        var nonce = NewNonce();
        var tail = stale ? ", stale=true" : string.Empty;
        return [Challenge("SHA-256", nonce, tail), Challenge("MD5", nonce, tail)];
    }

    /// <summary>
    /// Checks credentials against the stored secret for <see cref="DigestCredentials.Username"/> and
    /// <see cref="SecretAlgorithm"/> of <see cref="DigestCredentials.Algorithm"/>; <paramref name="secret"/> is null
    /// when there is no such user. <paramref name="requestTarget"/> is the path and query exactly as sent.
    /// </summary>
    public DigestOutcome Verify(DigestCredentials credentials, string method, string requestTarget, byte[]? secret)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestTarget);
        var size = HashSize(credentials.Algorithm);
        if (secret is not null && secret.Length != size)
        {
            throw new ArgumentException($"A {credentials.Algorithm} secret is {size} bytes.", nameof(secret));
        }

        // None of these depend on whether the user exists, so returning early reveals nothing about users.
        if (!string.Equals(credentials.Realm, _realm, StringComparison.Ordinal)
            || !string.Equals(credentials.Qop, QopAuth, StringComparison.OrdinalIgnoreCase)
            || !TryParseNonceCount(credentials.NonceCount, out var nonceCount)
            || !string.Equals(credentials.Uri, requestTarget, StringComparison.Ordinal)
            || (credentials.Opaque is not null && !string.Equals(credentials.Opaque, _opaque, StringComparison.Ordinal))
            || credentials.Response.Length != size * 2
            || !IsHex(credentials.Response))
        {
            return DigestOutcome.Invalid;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!TryReadNonce(credentials.Nonce, out var issued) || issued - now > (long)MaxClockSkew.TotalMilliseconds)
        {
            return DigestOutcome.Invalid;
        }

        var expected = ResponseDigest(credentials.Algorithm, secret ?? UnknownUserSecret.AsSpan(0, size),
            credentials.Nonce, credentials.NonceCount, credentials.Cnonce, credentials.Qop, method, credentials.Uri);
        Span<byte> presented = stackalloc byte[size];
        Convert.FromHexString(credentials.Response, presented, out _, out _);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented) || secret is null)
        {
            return DigestOutcome.Invalid;
        }

        // Stale only after a correct response: RFC 7616 §3.3 reserves stale=true for clients that know the password.
        if (now - issued > _lifetimeMs)
        {
            return DigestOutcome.Stale;
        }

        return _replay.Use(credentials.Nonce, issued, nonceCount, now);
    }

    /// <summary>
    /// The <c>Authentication-Info</c> value for a request <see cref="Verify"/> found valid (RFC 7616 §3.5): rspauth
    /// proves to the client that the server, too, knows the secret.
    /// </summary>
    public string AuthenticationInfo(DigestCredentials credentials, byte[] secret, string requestTarget)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(requestTarget);
        if (!string.Equals(credentials.Realm, _realm, StringComparison.Ordinal)
            || !string.Equals(credentials.Qop, QopAuth, StringComparison.OrdinalIgnoreCase)
            || !TryParseNonceCount(credentials.NonceCount, out _))
        {
            throw new ArgumentException("Only credentials that verified can be answered.", nameof(credentials));
        }

        // rspauth is the response computed with an empty method: A2 = ":" request-uri.
        var rspauth = ComputeResponse(credentials.Algorithm, secret, credentials.Nonce, credentials.NonceCount,
            credentials.Cnonce, credentials.Qop, string.Empty, requestTarget);
        return $"qop={credentials.Qop}, rspauth=\"{rspauth}\", cnonce={Quote(credentials.Cnonce)}, nc={credentials.NonceCount}";
    }

    private string Challenge(string algorithm, string nonce, string tail) =>
        $"Digest realm={_quotedRealm}, qop=\"{QopAuth}\", algorithm={algorithm}, nonce=\"{nonce}\", opaque=\"{_opaque}\", charset=UTF-8{tail}";

    /// <summary>nc is exactly 8 hex digits (RFC 7616 §3.4); counting starts at 1.</summary>
    private static bool TryParseNonceCount(string value, out uint count)
    {
        count = 0;
        return value.Length == 8 && IsHex(value)
            && uint.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out count) && count != 0;
    }

    private static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A quoted-string (RFC 9110 §5.6.4) with '"' and '\' escaped.</summary>
    private static string Quote(string value) =>
        string.Concat("\"", value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), "\"");
}
