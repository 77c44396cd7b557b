using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

public sealed class DigestResponseTests
{
    // RFC 7616 §3.9.1.
    private const string Username = "Mufasa";
    private const string Realm = "http-auth@example.org";
    private const string Password = "Circle of Life";
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void The_RFC_7616_example_responses_are_reproduced(string name, string published)
    {
        var algorithm = DigestClient.Algorithm(name);
        var secret = DigestAuthentication.ComputeSecret(algorithm, Username, Realm, Password);

        var response = DigestAuthentication.ComputeResponse(algorithm, secret, Nonce, "00000001", Cnonce, "auth", "GET", "/dir/index.html");

        Assert.Equal(published, response);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("MD5-sess")]
    [InlineData("SHA-256")]
    [InlineData("SHA-256-sess")]
    public void Responses_match_an_independent_implementation_for_random_inputs(string name)
    {
        var algorithm = DigestClient.Algorithm(name);
        var random = new Random(7616 + (int)algorithm);
        for (var i = 0; i < 200; i++)
        {
            var username = RandomText(random);
            var realm = RandomText(random);
            var password = RandomText(random);
            var nonce = RandomText(random);
            var cnonce = RandomText(random);
            var nc = random.Next(1, int.MaxValue).ToString("x8", null);
            var method = random.Next(2) == 0 ? "GET" : "HEAD";
            var uri = "/" + RandomText(random);
            var secret = DigestAuthentication.ComputeSecret(algorithm, username, realm, password);

            Assert.Equal(DigestClient.H(name, $"{username}:{realm}:{password}"), Convert.ToHexStringLower(secret));
            Assert.Equal(
                DigestClient.Response(name, username, realm, password, nonce, nc, cnonce, method, uri),
                DigestAuthentication.ComputeResponse(algorithm, secret, nonce, nc, cnonce, "auth", method, uri));
        }
    }

    [Fact]
    public void A_session_variant_uses_the_secret_of_its_base_algorithm_but_a_different_response()
    {
        var md5 = DigestAuthentication.ComputeSecret(DigestAlgorithm.Md5, Username, Realm, Password);
        var sha = DigestAuthentication.ComputeSecret(DigestAlgorithm.Sha256, Username, Realm, Password);

        Assert.Equal(md5, DigestAuthentication.ComputeSecret(DigestAlgorithm.Md5Session, Username, Realm, Password));
        Assert.Equal(sha, DigestAuthentication.ComputeSecret(DigestAlgorithm.Sha256Session, Username, Realm, Password));
        Assert.Equal(DigestAlgorithm.Md5, DigestAuthentication.SecretAlgorithm(DigestAlgorithm.Md5Session));
        Assert.Equal(DigestAlgorithm.Sha256, DigestAuthentication.SecretAlgorithm(DigestAlgorithm.Sha256Session));
        Assert.Equal(16, md5.Length);
        Assert.Equal(32, sha.Length);
        Assert.NotEqual(
            DigestAuthentication.ComputeResponse(DigestAlgorithm.Sha256, sha, Nonce, "00000001", Cnonce, "auth", "GET", "/"),
            DigestAuthentication.ComputeResponse(DigestAlgorithm.Sha256Session, sha, Nonce, "00000001", Cnonce, "auth", "GET", "/"));
    }

    [Fact]
    public void Secrets_hash_the_password_as_UTF_8()
    {
        var secret = DigestAuthentication.ComputeSecret(DigestAlgorithm.Sha256, "J\u00e4s\u00f8n Doe", "api@example.org", "Secret, or not?");

        Assert.Equal(DigestClient.H("SHA-256", "J\u00e4s\u00f8n Doe:api@example.org:Secret, or not?"), Convert.ToHexStringLower(secret));
    }

    /// <summary>Printable ASCII and some non-ASCII letters, so UTF-8 encoding is exercised.</summary>
    private static string RandomText(Random random)
    {
        const string alphabet = "abcXYZ019 !#$%&'()*+,-./:;<=>?@[]^_`{|}~\u00e4\u00f8\u00df\u4e2d\u0416";
        var chars = new char[random.Next(1, 40)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
