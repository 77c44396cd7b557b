namespace RepSec.Protocol.Signatures;

/// <summary>
/// The signature parameters of RFC 9421 §2.3. Times travel as whole Unix seconds, so any fraction of a
/// second is dropped when signing. Unset parameters are left out of Signature-Input.
/// </summary>
public sealed partial record SignatureParameters
{
    /// <summary>When the signature was made (<c>created</c>).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>When the signature stops being valid (<c>expires</c>).</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>A value the signer chose to make the signature unique (<c>nonce</c>).</summary>
    public string? Nonce { get; init; }

    /// <summary>The signature algorithm (<c>alg</c>), from <see cref="HttpSignatureAlgorithms"/>.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The key identifier (<c>keyid</c>); when signing, null means the key id of the signing key.</summary>
    public string? KeyId { get; init; }

    /// <summary>An application-specific tag saying what the signature is for (<c>tag</c>).</summary>
    public string? Tag { get; init; }
}
