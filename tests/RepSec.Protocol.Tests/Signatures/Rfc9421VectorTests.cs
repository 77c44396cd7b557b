using System.Text;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

/// <summary>The signatures of RFC 9421 Appendix B.2, as published (RFC 8792 line wrapping undone).</summary>
public sealed class Rfc9421VectorTests
{
    private const string B24Input = "sig-b24=(\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"";
    private const string B24Signature = "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:";
    private const string B26Input = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    private const string B26Signature = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

    private static readonly VerificationPolicy AtCreation = new() { MaxAge = TimeSpan.FromMinutes(5) };

    [Fact]
    public void B_2_6_ed25519_signing_reproduces_the_published_signature_exactly()
    {
        var (signatureInput, signature) = HttpMessageSigner.Sign(
            Rfc9421Examples.Request(),
            ["date", "@method", "@path", "@authority", "content-type", "content-length"],
            new SignatureParameters { Created = Rfc9421Examples.Created },
            Rfc9421Examples.Ed25519(),
            "sig-b26");

        Assert.Equal(B26Input, signatureInput);
        Assert.Equal(B26Signature, signature);
    }

    [Fact]
    public void B_2_6_verifies_under_the_public_key_alone()
    {
        var publicKey = HttpSignatureKey.FromJwk(Rfc9421Examples.Ed25519().ToJwk());

        var result = HttpMessageVerifier.Verify(Rfc9421Examples.Request(), B26Input, B26Signature, Only(publicKey), AtCreation, Rfc9421Examples.Created);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("sig-b26", result.Label);
        Assert.Equal("test-key-ed25519", result.Parameters?.KeyId);
        Assert.Equal<ComponentId>(["date", "@method", "@path", "@authority", "content-type", "content-length"], result.CoveredComponents);
    }

    [Fact]
    public void B_2_4_the_published_ecdsa_response_signature_verifies()
    {
        var policy = AtCreation with { RequiredComponents = ["@status", "content-type", "content-digest"] };

        var result = HttpMessageVerifier.Verify(Rfc9421Examples.Response(), B24Input, B24Signature, Only(Rfc9421Examples.EccP256()), policy, Rfc9421Examples.Created.AddSeconds(1));

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("sig-b24", result.Label);
    }

    [Fact]
    public void B_2_4_signing_anew_gives_the_same_input_and_a_different_but_valid_signature()
    {
        // ECDSA is randomized (RFC 9421 §7.3.5): only the Signature-Input can match the RFC exactly.
        var key = Rfc9421Examples.EccP256();

        var (signatureInput, signature) = HttpMessageSigner.Sign(
            Rfc9421Examples.Response(), ["@status", "content-type", "content-digest", "content-length"], new SignatureParameters { Created = Rfc9421Examples.Created }, key, "sig-b24");

        Assert.Equal(B24Input, signatureInput);
        Assert.NotEqual(B24Signature, signature);
        Assert.Equal(":".Length * 2 + 88 + "sig-b24=".Length, signature.Length);
        Assert.True(HttpMessageVerifier.Verify(Rfc9421Examples.Response(), signatureInput, signature, Only(key), AtCreation, Rfc9421Examples.Created).IsValid);
    }

    [Fact]
    public void B_2_1_the_minimal_rsa_pss_signature_verifies()
    {
        const string Input = "sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"";
        const string Signature = "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:";

        var result = HttpMessageVerifier.Verify(Rfc9421Examples.Request(), Input, Signature, Only(Rfc9421Examples.RsaPss()), AtCreation, Rfc9421Examples.Created);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("b3k2pp5k7z-50gnwp.yemd", result.Parameters?.Nonce);
        Assert.Empty(result.CoveredComponents);
    }

    [Fact]
    public void B_2_3_the_full_coverage_rsa_pss_signature_verifies_and_breaks_on_any_change()
    {
        const string Input = "sig-b23=(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"";
        const string Signature = "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:";
        var otherQuery = new HttpRequestComponents("POST", "https", "example.com", "/foo?param=Value&Pet=cat", [
            new("Date", "Tue, 20 Apr 2021 02:07:55 GMT"), new("Content-Type", "application/json"),
            new("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"), new("Content-Length", "18")]);

        var valid = HttpMessageVerifier.Verify(Rfc9421Examples.Request(), Input, Signature, Only(Rfc9421Examples.RsaPss()), AtCreation, Rfc9421Examples.Created);
        var changed = HttpMessageVerifier.Verify(otherQuery, Input, Signature, Only(Rfc9421Examples.RsaPss()), AtCreation, Rfc9421Examples.Created);

        Assert.True(valid.IsValid, valid.Detail);
        Assert.Equal(SignatureFailure.BadSignature, changed.Failure);
    }

    [Fact]
    public void The_test_messages_content_digests_match_their_bodies()
    {
        Rfc9421Examples.Request().TryGetField("content-digest", out var requestDigest);
        Rfc9421Examples.Response().TryGetField("content-digest", out var responseDigest);

        Assert.True(ContentDigest.Verify(requestDigest, Encoding.UTF8.GetBytes(Rfc9421Examples.RequestBody)));
        Assert.True(ContentDigest.Verify(responseDigest, Encoding.UTF8.GetBytes(Rfc9421Examples.ResponseBody)));
        Assert.Equal(requestDigest, ContentDigest.Sha512(Encoding.UTF8.GetBytes(Rfc9421Examples.RequestBody)));
    }

    [Fact]
    public void Rsa_v1_5_sha256_signatures_from_another_signer_verify()
    {
        // Self-consistency (RFC 9421 has no B.2 example for rsa-v1_5-sha256): .NET signs the base, we verify.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var key = HttpSignatureKey.FromRsaPublicKey(rsa, HttpSignatureAlgorithms.RsaV15Sha256, "rsa-key");
        var parameters = new SignatureParameters { Created = Rfc9421Examples.Created, KeyId = "rsa-key", Algorithm = HttpSignatureAlgorithms.RsaV15Sha256 };
        Assert.True(SignatureBase.TryBuild(Rfc9421Examples.Request(), ["@method", "@authority"], parameters.ToStructuredField(), out var signatureBase, out var signatureParams, out _));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signatureBase), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);

        var result = HttpMessageVerifier.Verify(Rfc9421Examples.Request(), "rsa=" + signatureParams, $"rsa=:{Convert.ToBase64String(signature)}:", Only(key), AtCreation, Rfc9421Examples.Created);
        var pssKey = HttpSignatureKey.FromRsaPublicKey(rsa, HttpSignatureAlgorithms.RsaPssSha512, "rsa-key");
        var wrongAlgorithm = HttpMessageVerifier.Verify(Rfc9421Examples.Request(), "rsa=" + signatureParams, $"rsa=:{Convert.ToBase64String(signature)}:", Only(pssKey), AtCreation, Rfc9421Examples.Created);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(SignatureFailure.AlgorithmMismatch, wrongAlgorithm.Failure);
    }

    internal static Func<string, HttpSignatureKey?> Only(HttpSignatureKey key) => keyId => keyId == key.KeyId ? key : null;
}
