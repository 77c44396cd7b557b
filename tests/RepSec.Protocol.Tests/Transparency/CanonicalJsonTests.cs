using System.Text;
using System.Text.Json;
using RepSec.Protocol.Transparency;

namespace RepSec.Protocol.Tests.Transparency;

/// <summary>Examples from RFC 8785 (sections 3.2.2.3 and 3.2.3, appendix B).</summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(4.50, "4.5")]
    [InlineData(0.002, "0.002")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e30, "1e+30")]
    [InlineData(1e23, "1e+23")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(295147905179352830000.0, "295147905179352830000")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(-5e-324, "-5e-324")]
    [InlineData(1763441220139.0, "1763441220139")]
    public void Numbers_take_the_ecmascript_form(double value, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));

    [Fact]
    public void Negative_zero_is_zero() => Assert.Equal("0", CanonicalJson.FormatNumber(-0.0));

    [Fact]
    public void The_rfc_example_object_canonicalizes_byte_for_byte()
    {
        const string Input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        using var document = JsonDocument.Parse(Input);
        var canonical = Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement));

        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""", canonical);
    }

    [Fact]
    public void Members_sort_by_utf16_code_units_at_every_level()
    {
        using var document = JsonDocument.Parse("""{"b":{"z":1,"a":2},"a":[{"y":true,"x":null}],"\u00e9":0,"Z":0}""");

        Assert.Equal("""{"Z":0,"a":[{"x":null,"y":true}],"b":{"a":2,"z":1},"é":0}""", Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
    }
}
