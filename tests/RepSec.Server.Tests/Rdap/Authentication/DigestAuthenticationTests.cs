using Microsoft.Extensions.Time.Testing;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

public sealed class DigestAuthenticationTests
{
    private const string Realm = "repsec";
    private const string User = "alice";
    private const string Password = "correct horse battery staple";
    private const string Target = "/domain/example.com?x=1";

    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly DigestAuthentication _digest;

    public DigestAuthenticationTests() => _digest = new DigestAuthentication(Realm, Key, _time, DigestAuthentication.DefaultNonceLifetime);

    [Fact]
    public void Challenges_offer_SHA_256_then_MD5_with_one_fresh_nonce()
    {
        var challenges = _digest.Challenges(stale: false);

        Assert.Equal(2, challenges.Count);
        Assert.Matches("""^Digest realm="repsec", qop="auth", algorithm=SHA-256, nonce="[A-Za-z0-9_-]{43}", opaque="[A-Za-z0-9_-]{24}", charset=UTF-8$""", challenges[0]);
        Assert.Matches("""^Digest realm="repsec", qop="auth", algorithm=MD5, nonce="[A-Za-z0-9_-]{43}", opaque="[A-Za-z0-9_-]{24}", charset=UTF-8$""", challenges[1]);
        Assert.Equal(DigestClient.Read(challenges[0]), DigestClient.Read(challenges[1]));
        Assert.NotEqual(DigestClient.Read(challenges[0]).Nonce, DigestClient.Read(_digest.Challenges(false)[0]).Nonce);
        Assert.DoesNotContain("stale", challenges[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_realm_with_quotes_is_escaped_in_challenges()
    {
        var digest = new DigestAuthentication("say \"hi\" \\ bye", Key, _time, DigestAuthentication.DefaultNonceLifetime);

        Assert.StartsWith("""Digest realm="say \"hi\" \\ bye", """, digest.Challenges(false)[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    [InlineData("line\nbreak")]
    public void A_realm_that_cannot_go_into_a_header_is_refused(string realm)
    {
        Assert.ThrowsAny<ArgumentException>(() => new DigestAuthentication(realm, Key, _time, DigestAuthentication.DefaultNonceLifetime));
    }

    [Fact]
    public void A_short_nonce_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new DigestAuthentication(Realm, new byte[15], _time, DigestAuthentication.DefaultNonceLifetime));
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("MD5")]
    [InlineData("SHA-256-sess")]
    [InlineData("MD5-sess")]
    public void A_client_answering_a_challenge_is_authenticated(string name)
    {
        var credentials = Answer(name, Password);

        Assert.Equal(DigestClient.Algorithm(name), credentials.Algorithm);
        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials, "GET", Target, Secret(DigestAuthentication.SecretAlgorithm(credentials.Algorithm))));
    }

    [Fact]
    public void A_wrong_password_is_invalid()
    {
        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Answer("SHA-256", "wrong"), "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void An_unknown_user_is_invalid()
    {
        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Answer("SHA-256", Password), "GET", Target, secret: null));
        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Answer("MD5", Password), "GET", Target, secret: null));
    }

    [Fact]
    public void A_secret_of_the_wrong_algorithm_is_a_caller_error()
    {
        Assert.Throws<ArgumentException>(() => _digest.Verify(Answer("SHA-256", Password), "GET", Target, Secret(DigestAlgorithm.Md5)));
    }

    [Fact]
    public void The_uri_must_be_the_request_target()
    {
        var (nonce, opaque) = DigestClient.Read(_digest.Challenges(false)[0]);
        var header = DigestClient.Authorization("SHA-256", User, Realm, Password, nonce, opaque, "00000001", "c1", "GET", "/domain/other.com");

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Parse(header), "GET", Target, Secret(DigestAlgorithm.Sha256)));
        Assert.Equal(DigestOutcome.Valid, _digest.Verify(Parse(header), "GET", "/domain/other.com", Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void The_method_is_part_of_the_response()
    {
        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Answer("SHA-256", Password), "HEAD", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void Another_realm_is_invalid_even_with_its_own_correct_secret()
    {
        var (nonce, opaque) = DigestClient.Read(_digest.Challenges(false)[0]);
        var header = DigestClient.Authorization("SHA-256", User, "elsewhere", Password, nonce, opaque, "00000001", "c1", "GET", Target);
        var secret = DigestAuthentication.ComputeSecret(DigestAlgorithm.Sha256, User, "elsewhere", Password);

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Parse(header), "GET", Target, secret));
    }

    [Fact]
    public void A_nonce_not_issued_by_this_key_and_realm_is_invalid_even_with_a_correct_response()
    {
        var (nonce, opaque) = DigestClient.Read(_digest.Challenges(false)[0]);
        var tampered = (nonce[0] == 'A' ? "B" : "A") + nonce[1..];
        var otherKey = new DigestAuthentication(Realm, new byte[32], _time, DigestAuthentication.DefaultNonceLifetime);
        var otherRealm = new DigestAuthentication("other", Key, _time, DigestAuthentication.DefaultNonceLifetime);

        foreach (var foreign in new[] { tampered, DigestClient.Read(otherKey.Challenges(false)[0]).Nonce,
            DigestClient.Read(otherRealm.Challenges(false)[0]).Nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v" })
        {
            var header = DigestClient.Authorization("SHA-256", User, Realm, Password, foreign, opaque, "00000001", "c1", "GET", Target);
            Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Parse(header), "GET", Target, Secret(DigestAlgorithm.Sha256)));
        }
    }

    [Fact]
    public void A_nonce_spelled_non_canonically_is_invalid()
    {
        var (nonce, opaque) = DigestClient.Read(_digest.Challenges(false)[0]);
        // The last of 43 base64url characters carries 4 data bits; flipping an unused low bit decodes the same.
        var last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".IndexOf(nonce[^1], StringComparison.Ordinal);
        var respelled = nonce[..^1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last ^ 1];
        var header = DigestClient.Authorization("SHA-256", User, Realm, Password, respelled, opaque, "00000001", "c1", "GET", Target);

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(Parse(header), "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void An_expired_nonce_with_a_correct_response_is_stale_and_the_next_challenge_says_so()
    {
        var credentials = Answer("SHA-256", Password);
        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials, "GET", Target, Secret(DigestAlgorithm.Sha256)));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(DigestOutcome.Stale, _digest.Verify(credentials with { NonceCount = "00000002", Response = Respond(credentials, "00000002") },
            "GET", Target, Secret(DigestAlgorithm.Sha256)));
        Assert.All(_digest.Challenges(stale: true), challenge => Assert.EndsWith(", stale=true", challenge, StringComparison.Ordinal));
    }

    [Fact]
    public void An_expired_nonce_with_a_wrong_response_is_invalid_not_stale()
    {
        var credentials = Answer("SHA-256", "wrong");
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(credentials, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void The_nonce_lifetime_is_configurable()
    {
        var digest = new DigestAuthentication(Realm, Key, _time, TimeSpan.FromSeconds(30));
        var (nonce, opaque) = DigestClient.Read(digest.Challenges(false)[0]);
        var header = DigestClient.Authorization("SHA-256", User, Realm, Password, nonce, opaque, "00000001", "c1", "GET", Target);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(DigestOutcome.Stale, digest.Verify(Parse(header), "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void A_nonce_count_is_accepted_once()
    {
        var credentials = Answer("SHA-256", Password);

        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials, "GET", Target, Secret(DigestAlgorithm.Sha256)));
        Assert.Equal(DigestOutcome.Replayed, _digest.Verify(credentials, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void Increasing_nonce_counts_are_accepted_and_late_ones_within_the_window_too()
    {
        var credentials = Answer("MD5", Password);
        var secret = Secret(DigestAlgorithm.Md5);

        foreach (var nc in new[] { "00000001", "00000002", "00000005", "00000004", "000000ff" })
        {
            Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials with { NonceCount = nc, Response = Respond(credentials, nc) }, "GET", Target, secret));
        }

        foreach (var nc in new[] { "00000004", "000000ff", "00000006" })
        {
            Assert.Equal(DigestOutcome.Replayed, _digest.Verify(credentials with { NonceCount = nc, Response = Respond(credentials, nc) }, "GET", Target, secret));
        }

        Assert.Equal(1, _digest.TrackedNonces);
    }

    [Theory]
    [InlineData("0000001")]
    [InlineData("000000001")]
    [InlineData("0000000g")]
    [InlineData("00000000")]
    [InlineData("+0000001")]
    public void A_nonce_count_must_be_eight_hex_digits_from_one(string nc)
    {
        var credentials = Answer("SHA-256", Password);

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(credentials with { NonceCount = nc, Response = Respond(credentials, nc) }, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void Only_qop_auth_is_accepted()
    {
        var credentials = Answer("SHA-256", Password);

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(credentials with { Qop = "auth-int" }, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void An_opaque_value_sent_back_must_be_ours_but_may_be_left_out()
    {
        var credentials = Answer("SHA-256", Password);

        Assert.Equal(DigestOutcome.Invalid, _digest.Verify(credentials with { Opaque = "other" }, "GET", Target, Secret(DigestAlgorithm.Sha256)));
        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials with { Opaque = null }, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void Uppercase_hex_in_the_response_is_accepted()
    {
        var credentials = Answer("SHA-256", Password);

        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials with { Response = credentials.Response.ToUpperInvariant() }, "GET", Target, Secret(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void Concurrent_uses_of_the_same_counts_succeed_once_each()
    {
        var credentials = Answer("SHA-256", Password);
        var secret = Secret(DigestAlgorithm.Sha256);
        var attempts = Enumerable.Range(1, 64).SelectMany(nc => new[] { nc, nc, nc })
            .Select(nc => credentials with { NonceCount = nc.ToString("x8", null), Response = Respond(credentials, nc.ToString("x8", null)) })
            .ToArray();
        var outcomes = new DigestOutcome[attempts.Length];

        Parallel.For(0, attempts.Length, i => outcomes[i] = _digest.Verify(attempts[i], "GET", Target, secret));

        Assert.Equal(64, outcomes.Count(o => o == DigestOutcome.Valid));
        Assert.Equal(128, outcomes.Count(o => o == DigestOutcome.Replayed));
    }

    [Fact]
    public void Authentication_info_carries_the_rspauth_the_client_expects()
    {
        var credentials = Answer("SHA-256", Password);
        Assert.Equal(DigestOutcome.Valid, _digest.Verify(credentials, "GET", Target, Secret(DigestAlgorithm.Sha256)));

        var info = _digest.AuthenticationInfo(credentials, Secret(DigestAlgorithm.Sha256), Target);

        var rspauth = DigestClient.Response("SHA-256", User, Realm, Password, credentials.Nonce, "00000001", credentials.Cnonce, string.Empty, Target);
        Assert.Equal($"qop=auth, rspauth=\"{rspauth}\", cnonce=\"{credentials.Cnonce}\", nc=00000001", info);
    }

    /// <summary>A browser's answer to our first challenge of that algorithm, parsed as the server would.</summary>
    private DigestCredentials Answer(string algorithm, string password)
    {
        var challenge = _digest.Challenges(false).Single(c => c.Contains($"algorithm={algorithm.Replace("-sess", string.Empty, StringComparison.Ordinal)},", StringComparison.Ordinal));
        var (nonce, opaque) = DigestClient.Read(challenge);
        return Parse(DigestClient.Authorization(algorithm, User, Realm, password, nonce, opaque, "00000001", "0a4f113b", "GET", Target));
    }

    private static string Respond(DigestCredentials credentials, string nc) =>
        DigestClient.Response(DigestClient.Name(credentials.Algorithm), User, Realm, Password, credentials.Nonce, nc, credentials.Cnonce, "GET", Target);

    private static byte[] Secret(DigestAlgorithm algorithm) => DigestAuthentication.ComputeSecret(algorithm, User, Realm, Password);

    private static DigestCredentials Parse(string header)
    {
        Assert.True(DigestAuthentication.TryParse(header, out var credentials, out var error), error);
        return credentials;
    }
}
