namespace RepSec.Protocol.Signatures;

/// <summary>Verifies RFC 9421 HTTP message signatures against a policy.</summary>
public static partial class HttpMessageVerifier
{
    /// <summary>Most signatures tried on one message, bounding the work a message with many labels can cause.</summary>
    public const int MaxSignaturesTried = 8;

    /// <summary>
    /// Verifies the signatures of <paramref name="message"/> carried in the Signature-Input and Signature field
    /// values (several field lines of one name joined with <c>", "</c>). Each label present in both is tried, in
    /// Signature-Input order, until one verifies under the key <paramref name="keys"/> returns for its
    /// <c>keyid</c> and satisfies <paramref name="policy"/> at time <paramref name="now"/>.
    /// Never throws for malformed or hostile field values; the result says what failed.
    /// </summary>
    public static SignatureVerification Verify(
        IHttpMessageComponents message,
        string? signatureInputHeader,
        string? signatureHeader,
        Func<string, HttpSignatureKey?> keys,
        VerificationPolicy policy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrEmpty(signatureInputHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return Failed(SignatureFailure.MissingSignature, null, "the message has no Signature-Input or no Signature field");
        }

        if (!StructuredFieldParser.TryParseDictionary(signatureInputHeader, out var inputs, out var error))
        {
            return Failed(SignatureFailure.MalformedHeader, null, "Signature-Input: " + error);
        }

        if (!StructuredFieldParser.TryParseDictionary(signatureHeader, out var signatures, out error))
        {
            return Failed(SignatureFailure.MalformedHeader, null, "Signature: " + error);
        }

        SignatureVerification? best = null;
        var tried = 0;
        foreach (var (label, input) in inputs)
        {
            if ((policy.Label is not null && label != policy.Label) || !TryFind(signatures, label, out var signature))
            {
                continue;
            }

            if (tried++ == MaxSignaturesTried)
            {
                break;
            }

            var result = VerifyOne(message, label, input, signature, keys, policy, now);
            if (result.IsValid)
            {
                return result;
            }

            if (best is null || result.Failure > best.Failure)
            {
                best = result;
            }
        }

        return best ?? Failed(
            SignatureFailure.MissingSignature,
            policy.Label,
            policy.Label is null ? "no label is in both Signature-Input and Signature" : $"no signature is labelled '{policy.Label}'");
    }

    private static bool TryFind(List<KeyValuePair<string, object>> members, string label, out object member)
    {
        foreach (var (key, value) in members)
        {
            if (key == label)
            {
                member = value;
                return true;
            }
        }

        member = null!;
        return false;
    }

    private static SignatureVerification Failed(SignatureFailure failure, string? label, string detail) =>
        new() { Failure = failure, Label = label, Detail = label is null ? detail : $"{label}: {detail}" };
}
