using RepSec.Core.Security;

namespace RepSec.Core.Tests.Security;

public sealed class BearerTokenTests
{
    [Fact]
    public void Issued_tokens_parse_and_match_their_stored_hash_only()
    {
        var (token, id, hash) = BearerToken.Create();
        var (other, _, _) = BearerToken.Create();

        Assert.True(BearerToken.TryParse(token, out var parsedId, out var secret));
        Assert.Equal(id, parsedId.ToString());
        Assert.True(BearerToken.Matches(secret, hash));
        BearerToken.TryParse(other, out _, out var otherSecret);
        Assert.False(BearerToken.Matches(otherSecret, hash));
        Assert.DoesNotContain(Convert.ToBase64String(hash), token, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("token123")]
    [InlineData("rs_0123456789abcdef-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [InlineData("xx_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    public void Foreign_strings_are_not_tokens(string text) => Assert.False(BearerToken.TryParse(text, out _, out _));
}
