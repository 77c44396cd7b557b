using System.Text;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

public sealed class StructuredFieldTests
{
    [Fact]
    public void A_signature_input_dictionary_parses_into_inner_lists_with_parameters()
    {
        const string Field = "sig-b24=(\"@status\" \"content-type\" \"@method\";req);created=1618884473;keyid=\"test-key-ecc-p256\", sig2=();nonce=\"n\"";

        Assert.True(StructuredFieldParser.TryParseDictionary(Field, out var members, out var error), error);

        Assert.Equal(["sig-b24", "sig2"], members.Select(m => m.Key));
        var list = Assert.IsType<SfInnerList>(members[0].Value);
        Assert.Equal(["@status", "content-type", "@method"], list.Items.Select(i => (string)i.Value.Value));
        Assert.True(list.Items[2].Parameters.TryGet("req", out var req) && req.Value is true);
        Assert.Equal([new("created", 1618884473L), new("keyid", "test-key-ecc-p256")], list.Parameters.Entries.Select(e => new KeyValuePair<string, object>(e.Key, e.Value.Value)));
        Assert.Empty(Assert.IsType<SfInnerList>(members[1].Value).Items);
    }

    [Fact]
    public void Byte_sequences_tokens_booleans_and_decimals_parse()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("a=:aGVsbG8=:, b=tok/en:x, c, d=?0;p=-1.5, e=\"q\\\"s\\\\\"", out var members, out var error), error);

        Assert.Equal("hello"u8.ToArray(), (byte[])((SfItem)members[0].Value).Value.Value);
        Assert.Equal(new SfToken("tok/en:x"), ((SfItem)members[1].Value).Value.Value);
        Assert.Equal(true, ((SfItem)members[2].Value).Value.Value);
        var d = (SfItem)members[3].Value;
        Assert.Equal(false, d.Value.Value);
        Assert.Equal(-1.5m, d.Parameters.Entries[0].Value.Value);
        Assert.Equal("q\"s\\", ((SfItem)members[4].Value).Value.Value);
    }

    [Fact]
    public void A_repeated_key_keeps_its_place_and_takes_the_last_value()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("a=1, b=2, a=3", out var members, out _));

        Assert.Equal(["a", "b"], members.Select(m => m.Key));
        Assert.Equal(3L, ((SfItem)members[0].Value).Value.Value);
    }

    [Fact]
    public void Byte_sequences_without_padding_are_accepted_as_RFC_8941_allows()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("a=:aGVsbG8:", out var members, out _));

        Assert.Equal("hello"u8.ToArray(), (byte[])((SfItem)members[0].Value).Value.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Sig=1")]
    [InlineData("sig=1,")]
    [InlineData("sig=1,,b=2")]
    [InlineData("sig =1")]
    [InlineData("sig=(\"a\"")]
    [InlineData("sig=(\"a\"\"b\")")]
    [InlineData("sig=\"unterminated")]
    [InlineData("sig=\"bad \\n escape\"")]
    [InlineData("sig=\"caf\u00e9\"")]
    [InlineData("sig=:not base64:")]
    [InlineData("sig=:YWJj")]
    [InlineData("sig=:YW=j:")]
    [InlineData("sig=1234567890123456")]
    [InlineData("sig=1234567890123.5")]
    [InlineData("sig=1.2345")]
    [InlineData("sig=1.")]
    [InlineData("sig=-")]
    [InlineData("sig=?2")]
    [InlineData("sig=();")]
    [InlineData("sig=();Key=1")]
    [InlineData("sig=%\"display\"")]
    [InlineData("sig=@1618884473")]
    [InlineData("sig=1 b=2")]
    public void Malformed_dictionaries_are_rejected_with_a_reason(string field)
    {
        Assert.False(StructuredFieldParser.TryParseDictionary(field, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Oversized_fields_and_too_many_members_are_rejected()
    {
        var longField = "a=\"" + new string('x', StructuredFieldParser.MaxFieldLength) + "\"";
        var manyMembers = string.Join(", ", Enumerable.Range(0, StructuredFieldParser.MaxMembers + 1).Select(i => $"k{i}=1"));
        var manyItems = "a=(" + string.Join(' ', Enumerable.Repeat("1", StructuredFieldParser.MaxMembers + 1)) + ")";
        var manyParameters = "a=1" + string.Concat(Enumerable.Range(0, StructuredFieldParser.MaxMembers + 1).Select(i => $";p{i}"));

        Assert.False(StructuredFieldParser.TryParseDictionary(longField, out _, out _));
        Assert.False(StructuredFieldParser.TryParseDictionary(manyMembers, out _, out _));
        Assert.False(StructuredFieldParser.TryParseDictionary(manyItems, out _, out _));
        Assert.False(StructuredFieldParser.TryParseDictionary(manyParameters, out _, out _));
    }

    [Fact]
    public void Random_and_truncated_input_never_throws()
    {
        var random = new Random(9421);
        const string Alphabet = "abc=():;,\"\\?*-.0123456789 \t@%:/+AZ\u00e9\u0000\r\n";
        const string Valid = "sig1=(\"@status\" \"content-digest\";req);created=1618884473;keyid=\"k\";alg=\"ed25519\", sig2=:aGVsbG8=:;p=?1;q=1.25";
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 80);
            var builder = new StringBuilder(length);
            for (var j = 0; j < length; j++)
            {
                builder.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            StructuredFieldParser.TryParseDictionary(builder.ToString(), out _, out _);
        }

        for (var cut = 0; cut <= Valid.Length; cut++)
        {
            var truncated = Valid[..cut];
            var ok = StructuredFieldParser.TryParseDictionary(truncated, out _, out var error);
            Assert.True(ok || error.Length > 0);
        }

        Assert.True(StructuredFieldParser.TryParseDictionary(Valid, out _, out _));
    }

    [Fact]
    public void Serialization_is_canonical_and_round_trips()
    {
        const string Field = "sig1=(  \"@status\"   \"x\";req;n=?0 );created=1;p=-0.50;t=tok;b=:AQI=:";

        Assert.True(StructuredFieldParser.TryParseDictionary(Field, out var members, out _));
        var serialized = StructuredFieldSerializer.InnerList((SfInnerList)members[0].Value);

        Assert.Equal("(\"@status\" \"x\";req;n=?0);created=1;p=-0.5;t=tok;b=:AQI=:", serialized);
        Assert.True(StructuredFieldParser.TryParseDictionary("sig1=" + serialized, out var again, out _));
        Assert.Equal(serialized, StructuredFieldSerializer.InnerList((SfInnerList)again[0].Value));
    }

    [Fact]
    public void Strings_are_escaped_and_unserializable_values_refused()
    {
        var list = new SfInnerList([new SfItem("a\"b\\c", SfParameters.Empty)], SfParameters.Empty);

        Assert.Equal("(\"a\\\"b\\\\c\")", StructuredFieldSerializer.InnerList(list));
        Assert.Throws<ArgumentException>(() => StructuredFieldSerializer.InnerList(new SfInnerList([new SfItem("line\nbreak", SfParameters.Empty)], SfParameters.Empty)));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuredFieldSerializer.InnerList(new SfInnerList([], new SfParameters([new("n", 1_000_000_000_000_000L)]))));
        Assert.Throws<ArgumentException>(() => StructuredFieldSerializer.InnerList(new SfInnerList([], new SfParameters([new("Upper", 1L)]))));
    }
}
