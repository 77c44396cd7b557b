using System.Security.Cryptography;
using RepSec.Protocol.Transparency;

namespace RepSec.Core.Transparency;

/// <summary>The log's Ed25519 key and origin (the checkpoint's first line and the signature's key name).</summary>
public sealed class LogSigningKey
{
    public LogSigningKey(string origin, byte[] privateKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNotEqual(privateKey.Length, 32);
        Origin = origin;
        PrivateKey = privateKey;
        PublicKey = SignedNote.PublicKey(privateKey);
        VerifierKey = SignedNote.VerifierKey(origin, PublicKey);
    }

    public string Origin { get; }

    public byte[] PrivateKey { get; }

    public byte[] PublicKey { get; }

    /// <summary>What clients pin: <c>ORIGIN+hex(keyhash)+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>The origin used when none is configured: <c>repsec/</c> and 16 hex digits of the public key's SHA-256.</summary>
    public static string DefaultOrigin(ReadOnlySpan<byte> publicKey) =>
        "repsec/" + Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];
}
