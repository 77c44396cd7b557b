namespace RepSec.IntegrationTests.Rdap;

/// <summary>The string formats the schemas name, checked directly: each accepts the RFC forms and nothing looser.</summary>
public sealed partial class RdapSchemaTests
{
    [Fact]
    public void Date_times_are_rfc3339()
    {
        Assert.All(["1990-12-31T23:59:59Z", "2012-07-23T05:15:47.123+02:00", "2016-12-31t23:59:60z"], v => Assert.True(TextSyntax.IsDateTime(v), v));
        Assert.All(["1990-12-31 23:59:59Z", "1990-02-30T00:00:00Z", "1990-12-31T24:00:00Z", "1990-12-31T23:59:59", "1990-12-31T23:59:59+0200"],
            v => Assert.False(TextSyntax.IsDateTime(v), v));
    }

    [Fact]
    public void Ipv4_addresses_are_dotted_quads_without_leading_zeros()
    {
        Assert.All(["192.0.2.0", "0.0.0.0", "255.255.255.255"], v => Assert.True(TextSyntax.IsIpv4(v), v));
        Assert.All(["192.0.2.256", "192.0.2.01", "192.0.2", "1.2.3.4.5", " 192.0.2.1", "::ffff:192.0.2.1"], v => Assert.False(TextSyntax.IsIpv4(v), v));
    }

    [Fact]
    public void Ipv6_addresses_are_rfc4291_text()
    {
        Assert.All(["2001:db8::", "::", "::1", "2001:db8:0:ffff:ffff:ffff:ffff:ffff", "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "2001:DB8::1"],
            v => Assert.True(TextSyntax.IsIpv6(v), v));
        Assert.All(["2001:db8::12345", "1::2::3", "fe80::1%eth0", "2001:db8::/32", "[::1]", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "192.0.2.1", ":1::"],
            v => Assert.False(TextSyntax.IsIpv6(v), v));
    }

    [Fact]
    public void Host_names_are_ldh_or_u_labels()
    {
        Assert.All(["example.com", "xn--fo-5ja.example", "fóo.example", "whois.example.net.", "0.2.192.in-addr.arpa"],
            v => Assert.True(TextSyntax.IsIdnHostname(v), v));
        Assert.All(["192.0.2.1", "-a.example", "a..example", "ab--cd.example", "under_score.example", new string('a', 64) + ".example", ""],
            v => Assert.False(TextSyntax.IsIdnHostname(v), v));
    }

    [Fact]
    public void Uris_are_absolute_and_name_a_valid_host()
    {
        Assert.All(["https://example.net/a?b=c#d", "mailto:joe@example.com", "tel:+1-555-555-1234"], v => Assert.True(TextSyntax.IsUri(v), v));
        Assert.All(["/relative", "https://example.net/a b", "https://exämple.net/"], v => Assert.False(TextSyntax.IsUri(v), v));
        // The last three are the shapes of the self links a test server on loopback produces.
        Assert.All(["https://example.net/x", "http://user@example.net", "https://localhost:8443/rdap/help", "https://127.0.0.1:5001/rdap/domain/example.com", "https://[::1]:5001/rdap/autnum/65536"],
            v => Assert.True(TextSyntax.IsHostInUri(v), v));
        Assert.All(["https://192.0.2.256/", "https://-bad.example/", "https:///path", "mailto:joe@example.com"], v => Assert.False(TextSyntax.IsHostInUri(v), v));
    }

    [Fact]
    public void Email_addresses_and_media_types_are_checked_for_syntax()
    {
        Assert.All(["joe.user@example.com", "\"joe user\"@example.com", "abuse@[192.0.2.1]"], v => Assert.True(TextSyntax.IsEmail(v), v));
        Assert.All(["not an address", "joe@", "@example.com", "joe@exa mple.com", "jöe@example.com"], v => Assert.False(TextSyntax.IsEmail(v), v));
        Assert.True(TextSyntax.IsIdnEmail("jöe@fóo.example"));
        Assert.All(["application/rdap+json", "text/html", "text/html; charset=utf-8"], v => Assert.True(TextSyntax.IsMediaType(v), v));
        Assert.All(["rdap+json", "application/", "foo/bar", "text/html;"], v => Assert.False(TextSyntax.IsMediaType(v), v));
    }
}
