using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

/// <summary>Hostile Signature-Input and Signature values end in a failure result, never an exception.</summary>
public sealed class MalformedHeaderTests
{
    private const string Input = "sig-b24=(\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"";
    private const string Signature = "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:";

    private static readonly HttpSignatureKey Key = Rfc9421Examples.EccP256();

    private static SignatureVerification Verify(string? input, string? signature) =>
        HttpMessageVerifier.Verify(Rfc9421Examples.Response(), input, signature, Rfc9421VectorTests.Only(Key), new VerificationPolicy(), Rfc9421Examples.Created);

    [Theory]
    [InlineData(null, Signature, SignatureFailure.MissingSignature)]
    [InlineData(Input, "", SignatureFailure.MissingSignature)]
    [InlineData("sig-b24=(\"@status\"", Signature, SignatureFailure.MalformedHeader)]
    [InlineData(Input, "sig-b24=:not base64:", SignatureFailure.MalformedHeader)]
    [InlineData(Input, "other=:AAAA:", SignatureFailure.MissingSignature)]
    [InlineData("sig-b24=\"@status\"", Signature, SignatureFailure.MalformedHeader)]
    [InlineData(Input, "sig-b24=(\"x\")", SignatureFailure.MalformedHeader)]
    [InlineData(Input, "sig-b24=\"AAAA\"", SignatureFailure.MalformedHeader)]
    [InlineData("sig-b24=(@status);keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.MalformedHeader)]
    [InlineData("sig-b24=(\"@status\";bs);keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    [InlineData("sig-b24=(\"@status\";req=?0);keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    [InlineData("sig-b24=(\"@status\");created=\"1618884473\";keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.MalformedHeader)]
    [InlineData("sig-b24=(\"@status\");keyid=test-key", Signature, SignatureFailure.MalformedHeader)]
    [InlineData("sig-b24=(\"@status\")", Signature, SignatureFailure.UnknownKey)]
    [InlineData("sig-b24=(\"@status\" \"@status\");keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    [InlineData("sig-b24=(\"@query-param\";name=\"a\");keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    [InlineData("sig-b24=(\"Content-Type\");keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    [InlineData("sig-b24=(\"@signature-params\");keyid=\"test-key-ecc-p256\"", Signature, SignatureFailure.ComponentUnavailable)]
    public void Malformed_fields_give_a_clean_failure(string? input, string? signature, SignatureFailure expected)
    {
        var result = Verify(input, signature);

        Assert.Equal(expected, result.Failure);
        Assert.NotEmpty(result.Detail);
    }

    [Fact]
    public void Every_truncation_of_valid_fields_fails_cleanly()
    {
        for (var cut = 0; cut < Input.Length; cut++)
        {
            Assert.False(Verify(Input[..cut], Signature).IsValid);
        }

        for (var cut = 0; cut < Signature.Length; cut++)
        {
            Assert.False(Verify(Input, Signature[..cut]).IsValid);
        }

        Assert.True(Verify(Input, Signature).IsValid);
    }

    [Fact]
    public void Random_bytes_and_mutations_fail_cleanly()
    {
        var random = new Random(7481);
        for (var i = 0; i < 2000; i++)
        {
            var noise = new char[random.Next(0, 200)];
            for (var j = 0; j < noise.Length; j++)
            {
                noise[j] = (char)random.Next(0, 256);
            }

            Assert.False(Verify(new string(noise), Signature).IsValid);
            Assert.False(Verify(Input, new string(noise)).IsValid);

            // One changed character changes the label, the key id, a component or a parameter: only an
            // unchanged field may still verify.
            var mutated = Input.ToCharArray();
            mutated[random.Next(mutated.Length)] = (char)random.Next(0x20, 0x7f);
            Assert.Equal(new string(mutated) == Input, Verify(new string(mutated), Signature).IsValid);
        }
    }

    [Fact]
    public void Huge_and_crowded_fields_are_refused_without_trying_them()
    {
        var lookups = 0;
        HttpSignatureKey? Counting(string keyId)
        {
            lookups++;
            return null;
        }

        var huge = "sig=(\"" + new string('a', 1_000_000) + "\")";
        var crowdedInput = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"s{i}=(\"@status\");keyid=\"k{i}\""));
        var crowdedSignature = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"s{i}=:AAAA:"));

        var hugeResult = Verify(huge, Signature);
        var crowded = HttpMessageVerifier.Verify(Rfc9421Examples.Response(), crowdedInput, crowdedSignature, Counting, new VerificationPolicy(), Rfc9421Examples.Created);

        Assert.Equal(SignatureFailure.MalformedHeader, hugeResult.Failure);
        Assert.Equal(SignatureFailure.UnknownKey, crowded.Failure);
        Assert.Equal(HttpMessageVerifier.MaxSignaturesTried, lookups);
    }
}
