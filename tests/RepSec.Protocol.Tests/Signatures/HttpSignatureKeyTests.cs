using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

public sealed class HttpSignatureKeyTests
{
    // RFC 7638 §3.1: the RSA key of RFC 7517 Appendix A.1 and its published SHA-256 thumbprint.
    private const string Rfc7638Jwk = """
        {"kty": "RSA",
         "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
         "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
        """;

    // RFC 8037 Appendix A.1 (the RFC 8032 §7.1 TEST 1 key); Appendix A.3 gives its thumbprint.
    private const string Rfc8037Jwk = """
        {"kty": "OKP", "crv": "Ed25519",
         "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
         "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
        """;

    [Fact]
    public void The_RFC_7638_example_thumbprint_is_reproduced()
    {
        var key = HttpSignatureKey.FromJwk(Rfc7638Jwk);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint);
        Assert.Equal("2011-04-29", key.KeyId);
        Assert.Equal(HttpSignatureAlgorithms.RsaV15Sha256, key.Algorithm);
        Assert.False(key.CanSign);
    }

    [Fact]
    public void The_RFC_8037_Ed25519_thumbprint_is_reproduced_and_becomes_the_key_id()
    {
        var key = HttpSignatureKey.FromJwk(Rfc8037Jwk);

        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.Thumbprint);
        Assert.Equal(key.Thumbprint, key.KeyId);
        Assert.True(key.CanSign);
    }

    [Fact]
    public void An_EC_thumbprint_is_SHA_256_of_the_hand_built_canonical_members()
    {
        // Self-consistency: RFC 7638 §3.2 canonical form built by hand for the RFC 9421 B.1.3 key; the constant
        // was computed independently (Python hashlib) from the same JSON text.
        const string Canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\",\"y\":\"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0\"}";
        var key = Rfc9421Examples.EccP256();

        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical))), key.Thumbprint);
        Assert.Equal("ydQXMtvbsOsZyFir-Y7A8t7fKEM1gbKPvyFkdpu4fvI", key.Thumbprint);
        Assert.Equal("test-key-ecc-p256", key.KeyId);
        Assert.Equal("poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U", Rfc9421Examples.Ed25519().Thumbprint);
    }

    [Fact]
    public void Public_JWK_export_carries_kid_and_alg_and_no_private_part()
    {
        var key = Rfc9421Examples.EccP256();

        using var jwk = JsonDocument.Parse(key.ToJwk());
        var root = jwk.RootElement;

        Assert.Equal("EC", root.GetProperty("kty").GetString());
        Assert.Equal("P-256", root.GetProperty("crv").GetString());
        Assert.Equal("qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA", root.GetProperty("x").GetString());
        Assert.Equal("Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0", root.GetProperty("y").GetString());
        Assert.Equal("test-key-ecc-p256", root.GetProperty("kid").GetString());
        Assert.Equal("ES256", root.GetProperty("alg").GetString());
        Assert.Equal("sig", root.GetProperty("use").GetString());
        Assert.False(root.TryGetProperty("d", out _));
    }

    [Theory]
    [InlineData(HttpSignatureAlgorithms.EcdsaP256Sha256)]
    [InlineData(HttpSignatureAlgorithms.Ed25519)]
    public void Private_and_public_JWKs_round_trip(string algorithm)
    {
        var key = HttpSignatureKey.Generate(algorithm, "k1");
        var data = "round trip"u8.ToArray();

        var restored = HttpSignatureKey.FromJwk(key.ToJwk(includePrivateKey: true));
        var verifier = HttpSignatureKey.FromJwk(key.ToJwk());

        Assert.True(restored.CanSign);
        Assert.False(verifier.CanSign);
        Assert.Equal(("k1", algorithm, key.Thumbprint), (restored.KeyId, restored.Algorithm, restored.Thumbprint));
        Assert.Equal(key.Thumbprint, verifier.Thumbprint);
        Assert.True(verifier.Verify(data, restored.Sign(data)));
        Assert.True(restored.Verify(data, key.Sign(data)));
        Assert.Throws<InvalidOperationException>(() => verifier.Sign(data));
    }

    [Fact]
    public void A_key_set_publishes_public_keys_and_reads_back_only_usable_ones()
    {
        var keys = new[] { Rfc9421Examples.EccP256(), Rfc9421Examples.Ed25519() };

        var json = HttpSignatureKeySet.Serialize(keys);

        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
        Assert.True(HttpSignatureKeySet.TryParse(json, out var read));
        Assert.Equal(["test-key-ecc-p256", "test-key-ed25519"], read.Select(k => k.KeyId));
        Assert.All(read, k => Assert.False(k.CanSign));

        // Unknown key types, other uses and broken keys are skipped; private members are never imported.
        const string Mixed = """
            {"keys": [
              {"kty": "oct", "k": "AAAA"},
              {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"},
              {"kty": "OKP", "crv": "Ed25519", "use": "enc", "x": "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"},
              {"kty": "OKP", "crv": "Ed25519", "x": "too-short"},
              {"kty": "OKP", "crv": "Ed25519", "kid": "ok", "d": "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU", "x": "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}
            ]}
            """;
        Assert.True(HttpSignatureKeySet.TryParse(Mixed, out var mixed));
        var only = Assert.Single(mixed);
        Assert.Equal("ok", only.KeyId);
        Assert.False(only.CanSign);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"keys\": {}}")]
    [InlineData("{\"keys\": [")]
    [InlineData("{\"keys\": [], \"keys\": []}")]
    public void Text_that_is_not_a_key_set_is_refused(string? json)
    {
        Assert.False(HttpSignatureKeySet.TryParse(json, out var keys));
        Assert.Empty(keys);
    }

    [Theory]
    [InlineData("{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\", \"y\": \"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F1\"}", "base64url")]
    [InlineData("{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\", \"y\": \"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F4\"}", "invalid")]
    [InlineData("{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\"}", "no y")]
    [InlineData("{\"kty\": \"EC\", \"crv\": \"P-256\", \"alg\": \"EdDSA\", \"x\": \"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\", \"y\": \"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0\"}", "not for")]
    [InlineData("{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \"JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\"}", "base64url")]
    [InlineData("{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"d\": \"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU\", \"x\": \"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}", "does not belong")]
    [InlineData("{\"kty\": \"OKP\", \"crv\": \"X25519\", \"x\": \"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs\"}", "X25519")]
    [InlineData("{\"kty\": \"RSA\", \"n\": \"AQAB\", \"e\": \"AQAB\"}", "alg")]
    [InlineData("{\"kty\": \"RSA\", \"alg\": \"PS512\", \"n\": \"AQAB\", \"e\": \"AQAB\"}", "2048")]
    [InlineData("{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"alg\": \"HS256\", \"x\": \"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs\"}", "HS256")]
    [InlineData("{\"kty\": 1}", "not a string")]
    [InlineData("{\"kty\": \"OKP\", \"kid\": \"\", \"crv\": \"Ed25519\", \"x\": \"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs\"}", "kid")]
    [InlineData("not json", "JSON")]
    public void Malformed_JWKs_are_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => HttpSignatureKey.FromJwk(json));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_come_from_ECDsa_and_raw_Ed25519_bytes()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var fromEcdsa = HttpSignatureKey.FromECDsa(ecdsa);
        var rfc8037 = HttpSignatureKey.FromJwk(Rfc8037Jwk);
        var seed = Base64Url.DecodeFromChars("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
        var x = Base64Url.DecodeFromChars("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        var data = "data"u8.ToArray();

        var signature = fromEcdsa.Sign(data);

        Assert.Equal(64, signature.Length);
        Assert.True(ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(rfc8037.Thumbprint, HttpSignatureKey.FromEd25519PrivateKey(seed).Thumbprint);
        Assert.Equal(rfc8037.Thumbprint, HttpSignatureKey.FromEd25519PublicKey(x).Thumbprint);
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromEd25519PrivateKey(new byte[31]));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromECDsa(p384));
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.Generate(HttpSignatureAlgorithms.RsaPssSha512));
    }

    [Fact]
    public void Verification_of_garbage_signatures_is_false_not_an_exception()
    {
        var data = "data"u8.ToArray();
        foreach (var key in new[] { Rfc9421Examples.EccP256(), Rfc9421Examples.Ed25519(), Rfc9421Examples.RsaPss() })
        {
            Assert.False(key.Verify(data, []));
            Assert.False(key.Verify(data, new byte[64]));
            Assert.False(key.Verify(data, new byte[256]));
            Assert.False(key.Verify(data, RandomNumberGenerator.GetBytes(1000)));
        }
    }

    [Fact]
    public void Describing_a_key_never_shows_key_material()
    {
        var text = Rfc9421Examples.Ed25519().ToString();

        Assert.Contains("test-key-ed25519", text, StringComparison.Ordinal);
        Assert.DoesNotContain("n4Ni", text, StringComparison.Ordinal);
    }
}
