using RepSec.Protocol.Entities;

namespace RepSec.Protocol.Tests.Entities;

public sealed class EntityCanonicalizerTests
{
    [Theory]
    [InlineData(EntityType.Domain, "Example.COM.", "example.com")]
    [InlineData(EntityType.Domain, "bücher.example", "xn--bcher-kva.example")]
    [InlineData(EntityType.Domain, "BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData(EntityType.Domain, "xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData(EntityType.Domain, "com", "com")]
    [InlineData(EntityType.Ip, "192.0.2.1", "192.0.2.1")]
    [InlineData(EntityType.Ip, "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData(EntityType.Ip, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData(EntityType.Ip, "2001:db8:0:0:0:0:2:1", "2001:db8::2:1")]
    [InlineData(EntityType.Ip, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData(EntityType.Ip, "192.0.2.77/24", "192.0.2.0/24")]
    [InlineData(EntityType.Ip, "192.0.2.1/32", "192.0.2.1")]
    [InlineData(EntityType.Ip, "0.0.0.0/0", "0.0.0.0/0")]
    [InlineData(EntityType.Ip, "2001:DB8::FFFF/32", "2001:db8::/32")]
    [InlineData(EntityType.Ip, "::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData(EntityType.Ip, "::ffff:c000:201", "192.0.2.1")]
    [InlineData(EntityType.Ip, "::c000:201", "::c000:201")]
    [InlineData(EntityType.Ip, "::", "::")]
    [InlineData(EntityType.Ip, "::1", "::1")]
    [InlineData(EntityType.Ip, "1::", "1::")]
    [InlineData(EntityType.Ip, "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::")]
    [InlineData(EntityType.Ip, "2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData(EntityType.Ip, "2001:db8:1:0:1:1:1:1", "2001:db8:1:0:1:1:1:1")]
    [InlineData(EntityType.Ip, "::ffff:1.2.3.4/96", "::ffff:0:0/96")]
    [InlineData(EntityType.Asn, "64496", "64496")]
    [InlineData(EntityType.Asn, "AS64496", "64496")]
    [InlineData(EntityType.Asn, "as4294967295", "4294967295")]
    [InlineData(EntityType.Asn, "0", "0")]
    [InlineData(EntityType.UserId, "alice@example.com", "alice@example.com")]
    [InlineData(EntityType.UserId, "Cafe\u0301", "Caf\u00e9")]
    [InlineData(EntityType.Organization, "  Example Org  ", "Example Org")]
    public void Canonical_forms(EntityType type, string input, string expected)
    {
        Assert.True(EntityCanonicalizer.TryCanonicalize(type, input, out var entity, out var error), error);
        Assert.Equal(expected, entity.Value);
    }

    [Theory]
    [InlineData(EntityType.Domain, "")]
    [InlineData(EntityType.Domain, ".")]
    [InlineData(EntityType.Domain, "a..example")]
    [InlineData(EntityType.Domain, "-lead.example")]
    [InlineData(EntityType.Domain, "under_score.example")]
    [InlineData(EntityType.Domain, "sp ace.example")]
    [InlineData(EntityType.Domain, "192.0.2.1")]
    [InlineData(EntityType.Domain, "xn--zz.example")]
    [InlineData(EntityType.Ip, "1")]
    [InlineData(EntityType.Ip, "0x7f.0.0.1")]
    [InlineData(EntityType.Ip, "010.0.0.1")]
    [InlineData(EntityType.Ip, "256.0.0.1")]
    [InlineData(EntityType.Ip, "1.2.3")]
    [InlineData(EntityType.Ip, "1.2.3.4.5")]
    [InlineData(EntityType.Ip, "192.0.2.0/33")]
    [InlineData(EntityType.Ip, "192.0.2.0/024")]
    [InlineData(EntityType.Ip, "192.0.2.0/")]
    [InlineData(EntityType.Ip, "fe80::1%eth0")]
    [InlineData(EntityType.Ip, "[::1]")]
    [InlineData(EntityType.Ip, "::1/129")]
    [InlineData(EntityType.Asn, "AS")]
    [InlineData(EntityType.Asn, "-1")]
    [InlineData(EntityType.Asn, "064496")]
    [InlineData(EntityType.Asn, "4294967296")]
    [InlineData(EntityType.Asn, "AS 1")]
    [InlineData(EntityType.UserId, "")]
    [InlineData(EntityType.UserId, "has space")]
    [InlineData(EntityType.UserId, "tab\there")]
    [InlineData(EntityType.UserId, "zero\u200bwidth")]
    [InlineData(EntityType.Organization, "   ")]
    [InlineData(EntityType.Organization, "bell\u0007")]
    public void Invalid_inputs_are_refused(EntityType type, string input) =>
        Assert.False(EntityCanonicalizer.TryCanonicalize(type, input, out _, out _));

    [Fact]
    public void Names_longer_than_256_characters_are_refused()
    {
        Assert.True(EntityCanonicalizer.TryCanonicalize(EntityType.UserId, new string('a', 256), out _, out _));
        Assert.False(EntityCanonicalizer.TryCanonicalize(EntityType.UserId, new string('a', 257), out _, out _));
    }

    [Fact]
    public void Overlong_domain_names_are_refused()
    {
        var label = new string('a', 63);
        Assert.False(EntityCanonicalizer.TryCanonicalize(EntityType.Domain, $"{label}.{label}.{label}.{label}.example", out _, out _));
        Assert.False(EntityCanonicalizer.TryCanonicalize(EntityType.Domain, new string('a', 64) + ".example", out _, out _));
    }

    [Theory]
    [InlineData("Straße AG", "STRASSE AG")]
    [InlineData("ΣΑΣ", "σας")]
    [InlineData("Acme\u00a0Inc", "Acme Inc")]
    [InlineData("Acme   Inc", "acme inc")]
    [InlineData("Ａｃｍｅ Inc", "Acme Inc")]
    public void Organization_names_that_look_alike_are_one_entity(string first, string second)
    {
        EntityCanonicalizer.TryCanonicalize(EntityType.Organization, first, out var a, out _);
        EntityCanonicalizer.TryCanonicalize(EntityType.Organization, second, out var b, out _);

        Assert.Equal(a.Key, b.Key);
    }

    [Fact]
    public void Organizations_match_case_insensitively()
    {
        EntityCanonicalizer.TryCanonicalize(EntityType.Organization, "ACME Corp", out var upper, out _);
        EntityCanonicalizer.TryCanonicalize(EntityType.Organization, "acme corp", out var lower, out _);

        Assert.Equal(upper.Key, lower.Key);
        Assert.NotEqual(upper.Value, lower.Value);
    }

    [Fact]
    public void Untyped_input_yields_every_reading()
    {
        var types = EntityCanonicalizer.Candidates("192.0.2.1").Select(c => c.Type);

        Assert.Equal([EntityType.Ip, EntityType.UserId, EntityType.Organization], types);
        Assert.Contains(EntityType.Domain, EntityCanonicalizer.Candidates("example.com").Select(c => c.Type));
        Assert.Equal(EntityType.Asn, EntityCanonicalizer.Candidates("AS64496")[0].Type);
    }
}
