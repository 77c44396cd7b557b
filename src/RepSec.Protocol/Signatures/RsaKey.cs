using System.Buffers.Text;
using System.Security.Cryptography;

namespace RepSec.Protocol.Signatures;

/// <summary>
/// Verify-only RSA, for checking signatures made elsewhere (and the RFC 9421 test vectors). One imported
/// <see cref="RSA"/> is kept and used under a lock, as in <see cref="EcdsaP256Key"/>.
/// </summary>
internal sealed class RsaKey : HttpSignatureKey
{
    private const int MinModulusBits = 2048;
    private readonly RSAParameters _parameters;
    private readonly string _algorithm;
    private readonly RSA _rsa;
    private readonly Lock _lock = new();

    public RsaKey(RSAParameters parameters, string algorithm, string? keyId)
        : base(keyId)
    {
        if (algorithm is not (HttpSignatureAlgorithms.RsaPssSha512 or HttpSignatureAlgorithms.RsaV15Sha256))
        {
            throw new ArgumentException($"an RSA key is for {HttpSignatureAlgorithms.RsaPssSha512} or {HttpSignatureAlgorithms.RsaV15Sha256}, not '{algorithm}'", nameof(algorithm));
        }

        if (parameters.Modulus is null || parameters.Exponent is null || parameters.Modulus.Length * 8 < MinModulusBits || parameters.Modulus[0] == 0)
        {
            throw new ArgumentException($"an RSA key has a modulus of at least {MinModulusBits} bits", nameof(parameters));
        }

        _parameters = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
        _algorithm = algorithm;
        _rsa = RSA.Create(_parameters);
    }

    public override string Algorithm => _algorithm;

    public override bool CanSign => false;

    private protected override string KeyType => "RSA";

    private protected override byte[] SignCore(ReadOnlySpan<byte> data) =>
        throw new InvalidOperationException("RSA keys are verify-only");

    private protected override bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != _parameters.Modulus!.Length)
        {
            return false;
        }

        try
        {
            lock (_lock)
            {
                // .NET's PSS uses a salt as long as the hash, 64 bytes for SHA-512, which is what §3.3.1 asks.
                return _algorithm == HttpSignatureAlgorithms.RsaPssSha512
                    ? _rsa.VerifyData(data, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss)
                    : _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> PublicMembers() =>
    [
        new("e", Base64Url.EncodeToString(_parameters.Exponent)),
        new("n", Base64Url.EncodeToString(_parameters.Modulus)),
    ];

    private protected override string? PrivateMember() => null;
}
