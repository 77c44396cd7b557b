using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

public sealed class SignatureBaseTests
{
    private static string Build(IHttpMessageComponents message, IReadOnlyList<ComponentId> components, SignatureParameters parameters)
    {
        Assert.True(SignatureBase.TryBuild(message, components, parameters.ToStructuredField(), out var signatureBase, out _, out var error), error);
        return signatureBase;
    }

    [Fact]
    public void The_RFC_9421_B_2_4_response_base_is_reproduced_byte_for_byte()
    {
        // RFC 9421 Appendix B.2.4, the base signed with ecdsa-p256-sha256.
        const string Expected =
            "\"@status\": 200\n" +
            "\"content-type\": application/json\n" +
            "\"content-digest\": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:\n" +
            "\"content-length\": 23\n" +
            "\"@signature-params\": (\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"";

        var actual = Build(
            Rfc9421Examples.Response(),
            ["@status", "content-type", "content-digest", "content-length"],
            new SignatureParameters { Created = Rfc9421Examples.Created, KeyId = "test-key-ecc-p256" });

        Assert.Equal(Expected, actual);
    }

    [Fact]
    public void The_RFC_9421_B_2_6_request_base_is_reproduced_byte_for_byte()
    {
        // RFC 9421 Appendix B.2.6, the base signed with ed25519.
        const string Expected =
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n" +
            "\"@method\": POST\n" +
            "\"@path\": /foo\n" +
            "\"@authority\": example.com\n" +
            "\"content-type\": application/json\n" +
            "\"content-length\": 18\n" +
            "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";

        var actual = Build(
            Rfc9421Examples.Request(),
            ["date", "@method", "@path", "@authority", "content-type", "content-length"],
            new SignatureParameters { Created = Rfc9421Examples.Created, KeyId = "test-key-ed25519" });

        Assert.Equal(Expected, actual);
    }

    [Fact]
    public void The_RFC_9421_B_2_1_minimal_base_is_only_the_parameters()
    {
        var actual = Build(
            Rfc9421Examples.Request(),
            [],
            new SignatureParameters { Created = Rfc9421Examples.Created, KeyId = "test-key-rsa-pss", Nonce = "b3k2pp5k7z-50gnwp.yemd" });

        Assert.Equal("\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"", actual);
    }

    [Fact]
    public void Derived_request_components_follow_RFC_9421_section_2_2()
    {
        var request = new HttpRequestComponents("GET", "HTTPS", "Example.COM:443", "/a%20b?x=1&y=%2F", []);
        var bare = new HttpRequestComponents("GET", "http", "example.com:8080", "", []);

        Assert.Equal(
            "\"@method\": GET\n\"@target-uri\": https://example.com/a%20b?x=1&y=%2F\n\"@authority\": example.com\n\"@scheme\": https\n" +
            "\"@request-target\": /a%20b?x=1&y=%2F\n\"@path\": /a%20b\n\"@query\": ?x=1&y=%2F\n\"@signature-params\": (\"@method\" \"@target-uri\" \"@authority\" \"@scheme\" \"@request-target\" \"@path\" \"@query\")",
            Build(request, ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query"], new SignatureParameters()));
        Assert.Equal(
            "\"@target-uri\": http://example.com:8080/\n\"@path\": /\n\"@query\": ?\n\"@signature-params\": (\"@target-uri\" \"@path\" \"@query\")",
            Build(bare, ["@target-uri", "@path", "@query"], new SignatureParameters()));
    }

    [Fact]
    public void Repeated_fields_are_trimmed_unfolded_and_joined()
    {
        var response = new HttpResponseComponents(
            200,
            [new("Cache-Control", "  max-age=60 "), new("X-Folded", "a \r\n\t b"), new("cache-control", "must-revalidate\t"), new("X-Empty", "")]);

        Assert.Equal(
            "\"cache-control\": max-age=60, must-revalidate\n\"x-folded\": a b\n\"x-empty\": \n\"@signature-params\": (\"cache-control\" \"x-folded\" \"x-empty\")",
            Build(response, ["cache-control", "x-folded", "x-empty"], new SignatureParameters()));
    }

    [Fact]
    public void Request_components_of_a_response_carry_the_req_parameter()
    {
        var response = new HttpResponseComponents(200, [new("Content-Type", "application/rdap+json")], Rfc9421Examples.Request());

        Assert.Equal(
            "\"@status\": 200\n\"@method\";req: POST\n\"@path\";req: /foo\n\"content-type\": application/rdap+json\n" +
            "\"@signature-params\": (\"@status\" \"@method\";req \"@path\";req \"content-type\");created=1618884473",
            Build(response, ["@status", new ComponentId("@method", FromRequest: true), ((ComponentId)"@path").OfRequest(), "content-type"], new SignatureParameters { Created = Rfc9421Examples.Created }));
    }

    [Theory]
    [InlineData("@status")]
    [InlineData("x-absent")]
    [InlineData("Content-Type")]
    [InlineData("@query-param")]
    [InlineData("@signature-params")]
    [InlineData("")]
    public void Absent_or_unsupported_components_fail(string name)
    {
        Assert.False(SignatureBase.TryBuild(Rfc9421Examples.Request(), [name], SfParameters.Empty, out _, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Repeated_components_and_req_without_a_request_fail()
    {
        Assert.False(SignatureBase.TryBuild(Rfc9421Examples.Request(), ["@method", "@method"], SfParameters.Empty, out _, out _, out _));
        Assert.False(SignatureBase.TryBuild(Rfc9421Examples.Response(), [((ComponentId)"@method").OfRequest()], SfParameters.Empty, out _, out _, out _));
        Assert.True(SignatureBase.TryBuild(Rfc9421Examples.Response(), ["@status", "date"], SfParameters.Empty, out _, out _, out _));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("caf\u00e9")]
    [InlineData("nul\u0000")]
    public void Values_that_could_forge_a_line_or_are_not_ASCII_fail(string value)
    {
        var response = new HttpResponseComponents(200, [new("X-Value", value)]);

        Assert.False(SignatureBase.TryBuild(response, ["x-value"], SfParameters.Empty, out _, out _, out var error));
        Assert.Contains("x-value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_constructors_refuse_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpResponseComponents(42, []));
        Assert.Throws<ArgumentException>(() => new HttpRequestComponents("GET", "https", "example.com", "foo", []));
        Assert.Throws<ArgumentException>(() => new HttpRequestComponents("", "https", "example.com", "/", []));
    }

    [Fact]
    public void Received_parameters_read_back_and_wrong_types_are_refused()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("s=();created=1618884473;expires=1618884773;nonce=\"n\";alg=\"ed25519\";keyid=\"k\";tag=\"t\";other=?1", out var members, out _));
        Assert.True(SignatureParameters.TryFromStructuredField(((SfInnerList)members[0].Value).Parameters, out var parameters, out _));

        Assert.Equal(
            new SignatureParameters { Created = Rfc9421Examples.Created, Expires = Rfc9421Examples.Created.AddSeconds(300), Nonce = "n", Algorithm = "ed25519", KeyId = "k", Tag = "t" },
            parameters);

        foreach (var bad in new[] { "s=();created=\"1\"", "s=();keyid=k", "s=();expires=999999999999999", "s=();created=1.5" })
        {
            Assert.True(StructuredFieldParser.TryParseDictionary(bad, out var badMembers, out _));
            Assert.False(SignatureParameters.TryFromStructuredField(((SfInnerList)badMembers[0].Value).Parameters, out _, out _));
        }
    }
}
