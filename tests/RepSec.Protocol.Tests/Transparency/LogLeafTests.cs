using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RepSec.Protocol.Transparency;

namespace RepSec.Protocol.Tests.Transparency;

public sealed class LogLeafTests
{
    private static LogLeaf Sample(byte[]? record) =>
        new(41, "register", "2026-11-22T10:00:00.123Z", SHA256.HashData("s"u8), SHA256.HashData("a"u8), record);

    [Fact]
    public void The_leaf_is_the_canonical_json_of_its_members()
    {
        foreach (var leaf in new[] { Sample(SHA256.HashData("r"u8)), Sample(null) })
        {
            // Built independently: a plain JSON object in arbitrary order, canonicalized by the generic RFC 8785 code.
            var loose = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["v"] = 1,
                ["subject"] = Convert.ToBase64String(leaf.Subject),
                ["record"] = leaf.Record is null ? null : Convert.ToBase64String(leaf.Record),
                ["index"] = leaf.Index,
                ["at"] = leaf.At,
                ["actor"] = Convert.ToBase64String(leaf.Actor),
                ["action"] = leaf.Action,
            });
            using var document = JsonDocument.Parse(loose);
            Assert.Equal(Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)), Encoding.UTF8.GetString(leaf.ToCanonicalJson()));
            Assert.Equal(SHA256.HashData([0x00, .. leaf.ToCanonicalJson()]), leaf.Hash());
        }
    }

    [Fact]
    public void A_known_leaf_has_a_known_hash()
    {
        var leaf = new LogLeaf(0, "remove", "2026-01-01T00:00:00.000Z", new byte[32], new byte[32], null);
        Assert.Equal(
            "{\"action\":\"remove\",\"actor\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"at\":\"2026-01-01T00:00:00.000Z\",\"index\":0,\"record\":null,\"subject\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"v\":1}",
            Encoding.ASCII.GetString(leaf.ToCanonicalJson()));
    }

    [Theory]
    [InlineData("Register")]
    [InlineData("re\"gister")]
    [InlineData("")]
    public void Actions_outside_the_name_alphabet_are_refused(string action) =>
        Assert.Throws<ArgumentException>(() => (Sample(null) with { Action = action }).ToCanonicalJson());

    [Fact]
    public void Commitments_open_only_with_their_key_and_value()
    {
        var secret = LogCommitment.NewSecret();
        var key = LogCommitment.DeriveKey(secret, LogCommitment.Subject);
        var other = LogCommitment.DeriveKey(secret, LogCommitment.Actor);
        var value = LogCommitment.SubjectOf("domain", "example.com");
        var commitment = LogCommitment.Commit(key, value);
        Assert.True(LogCommitment.Opens(key, value, commitment));
        Assert.False(LogCommitment.Opens(other, value, commitment));
        Assert.False(LogCommitment.Opens(key, LogCommitment.SubjectOf("domain", "example.net"), commitment));
        Assert.NotEqual(key, other);
        Assert.Equal(HMACSHA256.HashData(key, "domain\nexample.com"u8), commitment);
    }
}
