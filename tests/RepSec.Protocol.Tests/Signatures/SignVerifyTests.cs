using System.Text;
using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

/// <summary>Round trips with the profile an RDAP server would use: a signed response bound to its request.</summary>
public sealed class SignVerifyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"objectClassName\":\"domain\",\"ldhName\":\"example.com\"}");

    private static readonly IReadOnlyList<ComponentId> Covered =
        ["@status", "content-type", "content-digest", ((ComponentId)"@method").OfRequest(), ((ComponentId)"@target-uri").OfRequest()];

    private static readonly VerificationPolicy Policy = new()
    {
        RequiredComponents = ["@status", "content-type", "content-digest", ((ComponentId)"@target-uri").OfRequest()],
        MaxAge = TimeSpan.FromMinutes(5),
        RequiredTag = "rdap",
    };

    private static HttpRequestComponents Request(string path = "/domain/example.com") => new("GET", "https", "rdap.example", path, [new("Accept", "application/rdap+json")]);

    private static HttpResponseComponents Response(int status = 200, string contentType = "application/rdap+json", string? digest = null, HttpRequestComponents? request = null) =>
        new(status, [new("Content-Type", contentType), new("Content-Digest", digest ?? ContentDigest.Sha256(Body))], request ?? Request());

    private static (string Input, string Signature) SignResponse(HttpSignatureKey key, SignatureParameters? parameters = null, string label = "sig1") =>
        HttpMessageSigner.Sign(Response(), Covered, parameters ?? new SignatureParameters { Created = Now, Expires = Now.AddMinutes(5), Tag = "rdap" }, key, label);

    private static SignatureVerification Verify(IHttpMessageComponents message, (string Input, string Signature) fields, HttpSignatureKey key, VerificationPolicy? policy = null, DateTimeOffset? at = null) =>
        HttpMessageVerifier.Verify(message, fields.Input, fields.Signature, Rfc9421VectorTests.Only(key), policy ?? Policy, at ?? Now);

    public static TheoryData<string> Algorithms => [HttpSignatureAlgorithms.EcdsaP256Sha256, HttpSignatureAlgorithms.Ed25519];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_signed_response_verifies_and_reports_what_it_covers(string algorithm)
    {
        var key = HttpSignatureKey.Generate(algorithm);
        var fields = SignResponse(key);
        var publicKey = HttpSignatureKey.FromJwk(key.ToJwk());

        var result = Verify(Response(), fields, publicKey);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("sig1", result.Label);
        Assert.Equal(key.Thumbprint, result.Parameters?.KeyId);
        Assert.Equal(Now.AddMinutes(5), result.Parameters?.Expires);
        Assert.Equal(Covered, result.CoveredComponents);
        Assert.StartsWith("sig1=(\"@status\" \"content-type\" \"content-digest\" \"@method\";req \"@target-uri\";req);created=", fields.Input, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Any_change_to_a_covered_component_breaks_the_signature(string algorithm)
    {
        var key = HttpSignatureKey.Generate(algorithm);
        var fields = SignResponse(key);

        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(status: 404), fields, key).Failure);
        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(contentType: "text/html"), fields, key).Failure);
        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(digest: ContentDigest.Sha256("{}"u8)), fields, key).Failure);
        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(request: Request("/domain/example.net")), fields, key).Failure);
        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(), (fields.Input.Replace("created=", "created=1", StringComparison.Ordinal), fields.Signature), key, Policy with { MaxAge = null, ClockSkew = TimeSpan.MaxValue / 2 }).Failure);
    }

    [Fact]
    public void A_changed_body_no_longer_matches_the_signed_content_digest()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var response = Response();
        var tampered = Encoding.UTF8.GetBytes("{\"objectClassName\":\"domain\",\"ldhName\":\"evil.example\"}");

        Assert.True(Verify(response, SignResponse(key), key).IsValid);
        response.TryGetField("content-digest", out var digest);
        Assert.True(ContentDigest.Verify(digest, Body));
        Assert.False(ContentDigest.Verify(digest, tampered));
    }

    [Fact]
    public void A_different_key_under_the_same_key_id_fails()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.EcdsaP256Sha256, "server-key");
        var impostor = HttpSignatureKey.Generate(HttpSignatureAlgorithms.EcdsaP256Sha256, "server-key");

        var result = Verify(Response(), SignResponse(impostor), key);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
        Assert.Equal("sig1", result.Label);
    }

    [Fact]
    public void An_unknown_key_id_or_a_key_of_another_algorithm_fails()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519, "k");
        var otherAlgorithm = HttpSignatureKey.Generate(HttpSignatureAlgorithms.EcdsaP256Sha256, "k");
        var withAlg = SignResponse(key, new SignatureParameters { Created = Now, Tag = "rdap", Algorithm = HttpSignatureAlgorithms.Ed25519 });

        Assert.Equal(SignatureFailure.UnknownKey, Verify(Response(), SignResponse(key), HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519, "other")).Failure);
        Assert.Equal(SignatureFailure.AlgorithmMismatch, Verify(Response(), withAlg, otherAlgorithm).Failure);
        Assert.Equal(SignatureFailure.BadSignature, Verify(Response(), SignResponse(key), otherAlgorithm).Failure);
    }

    [Fact]
    public void The_policy_decides_what_must_be_covered_and_tagged()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var withoutDigest = HttpMessageSigner.Sign(Response(), ["@status", "content-type", ((ComponentId)"@target-uri").OfRequest()], new SignatureParameters { Created = Now, Tag = "rdap" }, key);
        var methodOnly = HttpMessageSigner.Sign(Response(), ["@status", "content-type", "content-digest", ((ComponentId)"@method").OfRequest()], new SignatureParameters { Created = Now, Tag = "rdap" }, key);

        var missing = Verify(Response(), withoutDigest, key);

        Assert.Equal(SignatureFailure.MissingRequiredComponent, missing.Failure);
        Assert.Contains("content-digest", missing.Detail, StringComparison.Ordinal);
        Assert.Equal(SignatureFailure.MissingRequiredComponent, Verify(Response(), methodOnly, key).Failure);
        Assert.Equal(SignatureFailure.WrongTag, Verify(Response(), SignResponse(key, new SignatureParameters { Created = Now, Tag = "other" }), key).Failure);
        Assert.True(Verify(Response(), withoutDigest, key, new VerificationPolicy()).IsValid);
    }

    [Fact]
    public void Time_limits_are_enforced_against_the_supplied_now()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var fields = SignResponse(key);
        var undated = SignResponse(key, new SignatureParameters { Tag = "rdap" });
        var expiresSoon = SignResponse(key, new SignatureParameters { Created = Now, Expires = Now.AddSeconds(10), Tag = "rdap" });

        Assert.True(Verify(Response(), fields, key, at: Now.AddMinutes(5)).IsValid);
        Assert.Equal(SignatureFailure.TooOld, Verify(Response(), fields, key, at: Now.AddMinutes(5).AddSeconds(1)).Failure);
        Assert.Equal(SignatureFailure.TooOld, Verify(Response(), undated, key).Failure);
        Assert.True(Verify(Response(), undated, key, Policy with { MaxAge = null }).IsValid);
        Assert.True(Verify(Response(), fields, key, at: Now.AddSeconds(-59)).IsValid);
        Assert.Equal(SignatureFailure.CreatedInFuture, Verify(Response(), fields, key, at: Now.AddMinutes(-2)).Failure);
        Assert.True(Verify(Response(), expiresSoon, key, at: Now.AddSeconds(70)).IsValid);
        Assert.Equal(SignatureFailure.Expired, Verify(Response(), expiresSoon, key, at: Now.AddSeconds(71)).Failure);
        Assert.True(Verify(Response(), expiresSoon, key, Policy with { EnforceExpires = false }, Now.AddMinutes(3)).IsValid);
    }

    [Fact]
    public void Among_several_signatures_the_valid_one_is_found_and_labels_can_be_pinned()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var proxy = SignResponse(HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519), label: "proxy");
        var ours = SignResponse(key, label: "rdap");
        var both = (proxy.Input + ", " + ours.Input, proxy.Signature + ", " + ours.Signature);

        var result = Verify(Response(), both, key);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("rdap", result.Label);
        Assert.Equal(SignatureFailure.UnknownKey, Verify(Response(), both, key, Policy with { Label = "proxy" }).Failure);
        Assert.Equal(SignatureFailure.MissingSignature, Verify(Response(), both, key, Policy with { Label = "absent" }).Failure);
    }

    [Fact]
    public void A_covered_component_missing_from_the_received_message_fails()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var fields = SignResponse(key);
        var withoutDigest = new HttpResponseComponents(200, [new("Content-Type", "application/rdap+json")], Request());
        var withoutRequest = new HttpResponseComponents(200, [new("Content-Type", "application/rdap+json"), new("Content-Digest", ContentDigest.Sha256(Body))]);

        Assert.Equal(SignatureFailure.ComponentUnavailable, Verify(withoutDigest, fields, key).Failure);
        Assert.Equal(SignatureFailure.ComponentUnavailable, Verify(withoutRequest, fields, key).Failure);
    }

    [Fact]
    public void Signing_refuses_caller_mistakes()
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.Ed25519);
        var parameters = new SignatureParameters { Created = Now };

        Assert.Throws<ArgumentException>(() => HttpMessageSigner.Sign(Response(), Covered, parameters, key, "Sig1"));
        Assert.Throws<ArgumentException>(() => HttpMessageSigner.Sign(Response(), ["x-absent"], parameters, key));
        Assert.Throws<ArgumentException>(() => HttpMessageSigner.Sign(Response(), ["@status"], parameters with { Algorithm = HttpSignatureAlgorithms.EcdsaP256Sha256 }, key));
        Assert.Throws<ArgumentException>(() => HttpMessageSigner.Sign(Response(), ["@status"], parameters with { Nonce = "caf\u00e9" }, key));
        Assert.Throws<InvalidOperationException>(() => HttpMessageSigner.Sign(Response(), ["@status"], parameters, HttpSignatureKey.FromJwk(key.ToJwk())));
    }
}
