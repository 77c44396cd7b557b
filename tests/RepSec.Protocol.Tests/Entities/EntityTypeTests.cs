using System.Text;
using RepSec.Protocol.Entities;

namespace RepSec.Protocol.Tests.Entities;

public sealed class EntityTypeTests
{
    [Theory]
    [InlineData("domain", EntityType.Domain)]
    [InlineData("ip", EntityType.Ip)]
    [InlineData("asn", EntityType.Asn)]
    [InlineData("userid", EntityType.UserId)]
    [InlineData("organization", EntityType.Organization)]
    [InlineData("DOMAIN", EntityType.Domain)]
    [InlineData("UserId", EntityType.UserId)]
    public void A_wire_name_parses_the_same_from_a_string_and_from_utf8_bytes(string text, EntityType expected)
    {
        Assert.True(EntityTypes.TryParse(text, out var fromString));
        Assert.True(EntityTypes.TryParse(Encoding.UTF8.GetBytes(text), out var fromBytes));
        Assert.Equal(expected, fromString);
        Assert.Equal(expected, fromBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("domains")]
    [InlineData("dom")]
    [InlineData("principal")]
    [InlineData("do\u0000main")]
    [InlineData("dömain")]
    public void Anything_else_is_no_type_from_a_string_or_from_utf8_bytes(string text)
    {
        Assert.False(EntityTypes.TryParse(text, out _));
        Assert.False(EntityTypes.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
