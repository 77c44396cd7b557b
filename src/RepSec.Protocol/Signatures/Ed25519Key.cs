using System.Buffers.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace RepSec.Protocol.Signatures;

/// <summary>Ed25519 through BouncyCastle, since the base class library has no Ed25519.</summary>
internal sealed class Ed25519Key : HttpSignatureKey
{
    private const int KeyLength = 32;
    private const int SignatureLength = 64;
    private readonly Ed25519PrivateKeyParameters? _private;
    private readonly Ed25519PublicKeyParameters _public;

    private Ed25519Key(Ed25519PrivateKeyParameters? privateKey, Ed25519PublicKeyParameters publicKey, string? keyId)
        : base(keyId)
    {
        _private = privateKey;
        _public = publicKey;
    }

    public static Ed25519Key FromPrivate(ReadOnlySpan<byte> privateKey, string? keyId)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException($"an Ed25519 private key is {KeyLength} bytes", nameof(privateKey));
        }

        var parameters = new Ed25519PrivateKeyParameters(privateKey);
        return new Ed25519Key(parameters, parameters.GeneratePublicKey(), keyId);
    }

    public static Ed25519Key FromPublic(ReadOnlySpan<byte> publicKey, string? keyId)
    {
        if (publicKey.Length != KeyLength)
        {
            throw new ArgumentException($"an Ed25519 public key is {KeyLength} bytes", nameof(publicKey));
        }

        // BouncyCastle rejects an encoding that is not a point on the curve with ArgumentException.
        return new Ed25519Key(null, new Ed25519PublicKeyParameters(publicKey), keyId);
    }

    /// <summary>The 32-byte public key.</summary>
    public byte[] PublicKey => _public.GetEncoded();

    public override string Algorithm => HttpSignatureAlgorithms.Ed25519;

    public override bool CanSign => _private is not null;

    private protected override string KeyType => "OKP";

    private protected override byte[] SignCore(ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    private protected override bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, _public);
        verifier.BlockUpdate(data);
        return verifier.VerifySignature(signature.ToArray());
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> PublicMembers() =>
    [
        new("crv", "Ed25519"),
        new("x", Base64Url.EncodeToString(_public.GetEncoded())),
    ];

    private protected override string? PrivateMember() => _private is null ? null : Base64Url.EncodeToString(_private.GetEncoded());
}
