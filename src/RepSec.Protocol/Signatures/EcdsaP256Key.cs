using System.Buffers.Text;
using System.Security.Cryptography;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// ECDSA P-256 with SHA-256. One imported <see cref="ECDsa"/> is kept for the key's lifetime, because an
/// import costs several times a signature; .NET does not promise that concurrent use of one instance is safe,
/// so operations take a lock (a P-256 signature takes tens of microseconds).
/// </summary>
internal sealed class EcdsaP256Key : HttpSignatureKey
{
    private const int CoordinateLength = 32;
    private readonly ECParameters _parameters;
    private readonly ECDsa _ecdsa;
    private readonly Lock _lock = new();

    public EcdsaP256Key(ECParameters parameters, string? keyId)
        : base(keyId)
    {
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value
            || parameters.Q.X?.Length != CoordinateLength || parameters.Q.Y?.Length != CoordinateLength
            || (parameters.D is not null && parameters.D.Length != CoordinateLength))
        {
            throw new ArgumentException("an ECDSA key for ecdsa-p256-sha256 is on the P-256 curve");
        }

        // Importing validates the point (and that D matches it); the exception is the caller's to see.
        _ecdsa = ECDsa.Create(parameters);
        _parameters = parameters;
    }

    public override string Algorithm => HttpSignatureAlgorithms.EcdsaP256Sha256;

    public override bool CanSign => _parameters.D is not null;

    private protected override string KeyType => "EC";

    private protected override byte[] SignCore(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            // RFC 9421 §3.3.4: the signature is r || s, each 32 bytes, not the DER form .NET uses by default.
            return _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    private protected override bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 2 * CoordinateLength)
        {
            return false;
        }

        lock (_lock)
        {
            return _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> PublicMembers() =>
    [
        new("crv", "P-256"),
        new("x", Base64Url.EncodeToString(_parameters.Q.X)),
        new("y", Base64Url.EncodeToString(_parameters.Q.Y)),
    ];

    private protected override string? PrivateMember() => _parameters.D is { } d ? Base64Url.EncodeToString(d) : null;
}
