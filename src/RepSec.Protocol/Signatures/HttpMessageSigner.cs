using System.Text;

namespace RepSec.Protocol.Signatures;

/// <summary>Creates RFC 9421 HTTP message signatures.</summary>
public static class HttpMessageSigner
{
    /// <summary>
    /// Signs <paramref name="components"/> of <paramref name="message"/> and returns the values for the
    /// Signature-Input and Signature fields, each a one-member dictionary under <paramref name="label"/>
    /// (to add to fields that already hold other signatures, join with <c>", "</c>).
    /// The <c>keyid</c> defaults to the key's <see cref="HttpSignatureKey.KeyId"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The label is not a structured field key, the <c>alg</c> parameter does not
    /// match the key, a parameter cannot be serialized, or a component is unsupported, repeated or not in the message.</exception>
    /// <exception cref="InvalidOperationException">The key cannot sign.</exception>
    public static (string SignatureInput, string Signature) Sign(
        IHttpMessageComponents message,
        IReadOnlyList<ComponentId> components,
        SignatureParameters parameters,
        HttpSignatureKey key,
        string label = "sig1")
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(key);
        if (!StructuredFieldSerializer.IsKey(label))
        {
            throw new ArgumentException($"'{label}' is not a structured field key (lowercase letters, digits, '_', '-', '.', '*')", nameof(label));
        }

        if (parameters.Algorithm is { } alg && alg != key.Algorithm)
        {
            throw new ArgumentException($"the alg parameter '{alg}' does not match the {key.Algorithm} key", nameof(parameters));
        }

        var effective = parameters.KeyId is null ? parameters with { KeyId = key.KeyId } : parameters;
        if (!SignatureBase.TryBuild(message, components, effective.ToStructuredField(), out var signatureBase, out var signatureParams, out var error))
        {
            throw new ArgumentException(error, nameof(components));
        }

        var signature = key.Sign(Encoding.ASCII.GetBytes(signatureBase));
        return ($"{label}={signatureParams}", $"{label}=:{Convert.ToBase64String(signature)}:");
    }
}
