using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

public sealed class DigestParsingTests
{
    private const string Rest = """realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS" """;

    [Fact]
    public void The_RFC_7616_example_is_parsed()
    {
        var credentials = Parse("username=\"Mufasa\", " + Rest);

        Assert.Equal(new DigestCredentials("Mufasa", "http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            "/dir/index.html", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", DigestAlgorithm.Sha256,
            "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"), credentials);
    }

    [Fact]
    public void Quoted_strings_unescape_quotes_and_backslashes_and_keep_commas()
    {
        var credentials = Parse("""username="Mu\"fa\\sa, \x", """ + Rest);

        Assert.Equal("Mu\"fa\\sa, x", credentials.Username);
    }

    [Fact]
    public void Whitespace_around_equals_and_commas_and_empty_elements_are_allowed()
    {
        var credentials = Parse(" ,username = \"Mufasa\" ,\t, realm=\t\"r\" ,nonce=n,uri=\"/\",response=ab,qop=auth,nc=00000001,cnonce=c ,");

        Assert.Equal(("Mufasa", "r", "n", "/", "ab", "c"), (credentials.Username, credentials.Realm, credentials.Nonce, credentials.Uri, credentials.Response, credentials.Cnonce));
    }

    [Fact]
    public void Parameter_names_are_case_insensitive_and_unknown_ones_are_ignored()
    {
        var credentials = Parse("USERNAME=\"Mufasa\", Future=\"x\", extension=y, " + Rest.Replace("realm=", "Realm=", StringComparison.Ordinal));

        Assert.Equal("Mufasa", credentials.Username);
        Assert.Equal("http-auth@example.org", credentials.Realm);
    }

    [Theory]
    [InlineData("MD5", "MD5")]
    [InlineData("md5-sess", "MD5-sess")]
    [InlineData("SHA-256", "SHA-256")]
    [InlineData("\"SHA-256-sess\"", "SHA-256-sess")]
    public void Algorithms_are_recognised(string name, string algorithm)
    {
        Assert.Equal(DigestClient.Algorithm(algorithm), Parse("username=u, " + Rest.Replace("algorithm=SHA-256", "algorithm=" + name, StringComparison.Ordinal)).Algorithm);
    }

    [Fact]
    public void Without_an_algorithm_MD5_is_meant()
    {
        Assert.Equal(DigestAlgorithm.Md5, Parse("username=u, " + Rest.Replace("algorithm=SHA-256,", string.Empty, StringComparison.Ordinal)).Algorithm);
    }

    [Theory]
    [InlineData("algorithm=SHA-512-256")]
    [InlineData("algorithm=SHA-1")]
    public void Other_algorithms_are_refused(string algorithm) =>
        Refused("username=u, " + Rest.Replace("algorithm=SHA-256", algorithm, StringComparison.Ordinal), "algorithm");

    [Theory]
    [InlineData("username")]
    [InlineData("realm")]
    [InlineData("nonce")]
    [InlineData("uri")]
    [InlineData("response")]
    [InlineData("qop")]
    [InlineData("nc")]
    [InlineData("cnonce")]
    public void Each_required_parameter_must_be_present(string name)
    {
        var parameters = ("username=\"Mufasa\", " + Rest).Split(", ")
            .Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal));

        Refused(string.Join(", ", parameters), name);
    }

    [Fact]
    public void An_empty_required_value_is_missing() => Refused("username=\"\", " + Rest, "username");

    [Theory]
    [InlineData("username=\"Mufasa\", username=\"Mufasa\", ")]
    [InlineData("username=\"Mufasa\", UserName=\"Scar\", ")]
    [InlineData("username=\"Mufasa\", nc=00000002, ")]
    [InlineData("username=\"Mufasa\", x=1, X=2, ")]
    public void A_repeated_parameter_is_refused(string prefix) => Refused(prefix + Rest, "repeated");

    [Fact]
    public void Overlong_credentials_and_values_are_refused()
    {
        Refused("username=u, " + Rest + ", pad=\"" + new string('a', 4096) + "\"", "longer than 4096");
        Refused("username=\"" + new string('a', 1025) + "\", " + Rest, "too long");
        Refused("username=" + new string('a', 1025) + ", " + Rest, "too long");
        Assert.Equal(1024, Parse("username=\"" + new string('a', 1024) + "\", " + Rest).Username.Length);
    }

    [Theory]
    [InlineData("x=\"abc", "closing quote")]
    [InlineData("x=\"abc\\", "closing quote")]
    [InlineData("x \"abc\"", "'='")]
    [InlineData("x=", "no value")]
    [InlineData("x=, y=1", "no value")]
    [InlineData("=\"abc\"", "parameter name")]
    [InlineData("x=\"abc\" y", "','")]
    [InlineData("x=a/b", "','")]
    [InlineData("x=\"a\rb\"", "control character")]
    [InlineData("x=\"a\\\nb\"", "control character")]
    public void Malformed_syntax_is_refused(string parameter, string complaint) =>
        Refused("username=u, " + Rest + ", " + parameter, complaint);

    [Fact]
    public void Username_star_is_decoded_as_UTF_8()
    {
        Assert.Equal("J\u00e4s\u00f8n Doe", Parse("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, " + Rest).Username);
        Assert.Equal("J\u00e4s\u00f8n", Parse("username*=\"utf-8'en'J%c3%a4s%c3%b8n\", " + Rest).Username);
    }

    [Theory]
    [InlineData("username*=ISO-8859-1''J%E4s%F8n")]
    [InlineData("username*=UTF-8''J%C3")]
    [InlineData("username*=UTF-8''J%C")]
    [InlineData("username*=UTF-8''J%G0")]
    [InlineData("username*=Mufasa")]
    [InlineData("username*=UTF-8'Mufasa")]
    [InlineData("username*=\"UTF-8''Mu fasa\"")]
    [InlineData("username*=UTF-8''Mu%00fasa")]
    public void A_bad_username_star_is_refused(string parameter) => Refused(parameter + ", " + Rest, "username");

    [Fact]
    public void Username_and_username_star_together_are_refused() =>
        Refused("username=\"Mufasa\", username*=UTF-8''Mufasa, " + Rest, "both");

    [Fact]
    public void Hashed_usernames_are_refused_because_they_are_never_offered()
    {
        Refused("username=\"488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec\", userhash=true, " + Rest, "userhash");
        Assert.Equal("Mufasa", Parse("username=\"Mufasa\", userhash=false, " + Rest).Username);
    }

    [Fact]
    public void Qop_auth_int_parses_but_is_left_to_verification_to_refuse()
    {
        Assert.Equal("auth-int", Parse("username=u, " + Rest.Replace("qop=auth", "qop=auth-int", StringComparison.Ordinal)).Qop);
    }

    private static DigestCredentials Parse(string parameters)
    {
        Assert.True(DigestAuthentication.TryParse(parameters, out var credentials, out var error), error);
        return credentials;
    }

    private static void Refused(string parameters, string complaint)
    {
        Assert.False(DigestAuthentication.TryParse(parameters, out var credentials, out var error));
        Assert.Null(credentials);
        Assert.Contains(complaint, error, StringComparison.Ordinal);
    }
}
