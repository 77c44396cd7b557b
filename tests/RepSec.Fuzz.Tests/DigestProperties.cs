using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RepSec.Fuzz.Tests;

/// <summary>Digest <c>Authorization</c> parameters, well formed and not, through the fuzz target's checks.</summary>
public sealed class DigestProperties
{
    private static readonly string[] Names = ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"];

    private static readonly string[] Pieces =
    [
        "username", "username*", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce", "opaque", "algorithm", "userhash",
        "=", ",", ", ", " ", "\t", "\"", "\\", "\"x\"", "auth", "MD5", "SHA-256-sess", "UTF-8''%C3%A4", "''", "%", "\u00e9", "\u0000", "\u007f", "a",
    ];

    /// <summary>A value as a token or as a quoted-string with escapes.</summary>
    private static Gen<string> Value =>
        from text in Generators.Text("abz09-.+~", 1, 12)
        from quoted in Gen.Elements(false, true)
        from escaped in Generators.Text("ab \"\\\u00e9\t", 0, 6)
        select quoted ? "\"" + (text + escaped).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : text;

    private static Gen<string> WellFormed =>
        from values in Gen.ArrayOf(Value, Names.Length)
        from upper in Gen.ArrayOf(Gen.Elements(false, true), Names.Length)
        from separator in Gen.Elements(",", ", ", " ,\t", ",,")
        select string.Join(separator, Names.Select((name, i) => (upper[i] ? name.ToUpperInvariant() : name) + "=" + values[i]));

    [Theory]
    [InlineData("username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=SHA-256, nonce=\"7ypf\", nc=00000001, cnonce=\"f2\", qop=auth, response=\"7539\", opaque=\"FQhe\"")]
    [InlineData("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", uri=\"/doe.json\", algorithm=SHA-256-sess, nonce=\"5T\", nc=00000001, cnonce=\"NT\", qop=auth, response=\"ae\", userhash=false")]
    public void The_examples_of_RFC_7616_are_accepted_and_written_out_again_alike(string parameters) =>
        Assert.Null(DigestTarget.Check(parameters));

    [Property(MaxTest = 500)]
    public Property Well_formed_credentials_are_accepted_and_round_trip() =>
        Prop.ForAll(WellFormed.ToArbitrary(), parameters => Assert.Null(DigestTarget.Check(parameters)));

    [Property(MaxTest = 1000)]
    public Property Any_mix_of_pieces_is_parsed_or_refused_with_a_reason() =>
        Prop.ForAll(Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(string.Concat).ToArbitrary(), parameters =>
            DigestTarget.Run(System.Text.Encoding.UTF8.GetBytes(parameters)));
}
