using System.Text;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

public sealed class ContentDigestTests
{
    // RFC 9530 Appendix B: the content {"hello": "world"} (18 bytes, no trailing newline) and its digests.
    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("{\"hello\": \"world\"}");
    private const string HelloSha256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";
    private const string HelloSha512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

    [Fact]
    public void The_RFC_9530_example_digests_are_reproduced()
    {
        Assert.Equal(18, Hello.Length);
        Assert.Equal(HelloSha256, ContentDigest.Sha256(Hello));
        Assert.Equal(HelloSha512, ContentDigest.Sha512(Hello));
    }

    [Fact]
    public void Known_digests_must_all_match_and_unknown_ones_are_ignored()
    {
        Assert.True(ContentDigest.Verify(HelloSha256, Hello));
        Assert.True(ContentDigest.Verify(HelloSha512, Hello));
        Assert.True(ContentDigest.Verify($"{HelloSha256}, {HelloSha512}", Hello));
        Assert.True(ContentDigest.Verify($"md5=:AAAA:, {HelloSha256}", Hello));
        Assert.True(ContentDigest.Verify($"sha-256=:{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Hello)).TrimEnd('=')}:", Hello));

        Assert.False(ContentDigest.Verify(HelloSha256, Encoding.UTF8.GetBytes("{\"hello\": \"world\"}\n")));
        Assert.False(ContentDigest.Verify($"{HelloSha256}, {ContentDigest.Sha512([])}", Hello));
        Assert.False(ContentDigest.Verify("md5=:AAAA:, sha=:AAAA:", Hello));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"")]
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")]
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:,")]
    [InlineData("sha-256=:AAAA:")]
    public void Malformed_or_wrong_values_do_not_verify(string? value)
    {
        Assert.False(ContentDigest.Verify(value, Hello));
    }
}
