namespace RepSec.Protocol.Signatures;

/// <summary>
/// Why a message's signatures did not verify. When several signatures fail, the reported reason is that of
/// the one that got furthest, in the order of this enumeration.
/// </summary>
public enum SignatureFailure
{
    /// <summary>A signature verified.</summary>
    None = 0,

    /// <summary>Signature-Input or Signature is absent, or they share no label (or not the one the policy names).</summary>
    MissingSignature,

    /// <summary>Signature-Input or Signature is not a well-formed structured field of the expected shape.</summary>
    MalformedHeader,

    /// <summary>The signature does not cover a component the policy requires.</summary>
    MissingRequiredComponent,

    /// <summary>The signature's <c>tag</c> is not the one the policy requires.</summary>
    WrongTag,

    /// <summary>The signature has no <c>created</c> time though the policy limits age, or it is older than allowed.</summary>
    TooOld,

    /// <summary>The signature's <c>created</c> time lies in the future.</summary>
    CreatedInFuture,

    /// <summary>The signature is past its <c>expires</c> time.</summary>
    Expired,

    /// <summary>No key is known for the signature's <c>keyid</c> (or it has none).</summary>
    UnknownKey,

    /// <summary>The signature's <c>alg</c> is not the algorithm of the key.</summary>
    AlgorithmMismatch,

    /// <summary>A covered component is unsupported, repeated, absent from the message or has a value that cannot be signed.</summary>
    ComponentUnavailable,

    /// <summary>The signature does not match the message under the key.</summary>
    BadSignature,
}

/// <summary>The outcome of <see cref="HttpMessageVerifier.Verify"/>: which signature verified, or why none did.</summary>
public sealed record SignatureVerification
{
    /// <summary>Whether a signature verified.</summary>
    public bool IsValid => Failure == SignatureFailure.None;

    /// <summary>The reason, <see cref="SignatureFailure.None"/> on success.</summary>
    public required SignatureFailure Failure { get; init; }

    /// <summary>A human-readable explanation, naming the label concerned; empty on success.</summary>
    public string Detail { get; init; } = "";

    /// <summary>The label of the signature that verified, or of the one the failure concerns; null if none.</summary>
    public string? Label { get; init; }

    /// <summary>The parameters of the signature that verified.</summary>
    public SignatureParameters? Parameters { get; init; }

    /// <summary>The components covered by the signature that verified.</summary>
    public IReadOnlyList<ComponentId> CoveredComponents { get; init; } = [];
}
