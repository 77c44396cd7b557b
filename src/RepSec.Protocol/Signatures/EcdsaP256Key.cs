using System.Buffers.Text;
using System.Security.Cryptography;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// ECDSA P-256 with SHA-256. The key is kept as parameters and an <see cref="ECDsa"/> is made per operation:
/// that keeps the key immutable and thread-safe without owning a disposable, at the cost of an import per
/// signature, which is small next to the request it signs.
/// </summary>
internal sealed class EcdsaP256Key : HttpSignatureKey
{
    private const int CoordinateLength = 32;
    private readonly ECParameters _parameters;

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
        using (ECDsa.Create(parameters))
        {
        }

        _parameters = parameters;
    }

    public override string Algorithm => HttpSignatureAlgorithms.EcdsaP256Sha256;

    public override bool CanSign => _parameters.D is not null;

    private protected override string KeyType => "EC";

    private protected override byte[] SignCore(ReadOnlySpan<byte> data)
    {
        using var ecdsa = ECDsa.Create(_parameters);
        // RFC 9421 §3.3.4: the signature is r || s, each 32 bytes, not the DER form .NET uses by default.
        return ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private protected override bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 2 * CoordinateLength)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = _parameters.Curve, Q = _parameters.Q });
        return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> PublicMembers() =>
    [
        new("crv", "P-256"),
        new("x", Base64Url.EncodeToString(_parameters.Q.X)),
        new("y", Base64Url.EncodeToString(_parameters.Q.Y)),
    ];

    private protected override string? PrivateMember() => _parameters.D is { } d ? Base64Url.EncodeToString(d) : null;
}
