using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace RepSec.Protocol.Transparency;

/// <summary>
/// C2SP signed notes with Ed25519: a text body, a blank line, then signature lines
/// <c>— NAME base64(keyhash[4] || signature[64])</c>. The key hash is the first four bytes of
/// SHA-256(NAME || "\n" || 0x01 || public key); a verifier key is written <c>NAME+hex(keyhash)+base64(0x01 || key)</c>.
/// </summary>
public static class SignedNote
{
    private const byte Ed25519Type = 0x01;
    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Signs <paramref name="body"/> (which must end in a newline) and returns the whole note.</summary>
    public static string Sign(string body, string keyName, ReadOnlySpan<byte> privateKey)
    {
        if (!body.EndsWith('\n') || !IsValidName(keyName))
        {
            throw new ArgumentException("a note body ends with a newline and a key name has no spaces, '+' or newlines");
        }

        var key = new Ed25519PrivateKeyParameters(privateKey.ToArray());
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var message = Encoding.UTF8.GetBytes(body);
        signer.BlockUpdate(message, 0, message.Length);
        byte[] signature = [.. KeyHash(keyName, key.GeneratePublicKey().GetEncoded()), .. signer.GenerateSignature()];
        return $"{body}\n{SignaturePrefix}{keyName} {Convert.ToBase64String(signature)}\n";
    }

    /// <summary>The verifier key string clients pin: <c>NAME+hex(keyhash)+base64(0x01 || key)</c>.</summary>
    public static string VerifierKey(string keyName, ReadOnlySpan<byte> publicKey) =>
        $"{keyName}+{Convert.ToHexStringLower(KeyHash(keyName, publicKey))}+{Convert.ToBase64String([Ed25519Type, .. publicKey])}";

    /// <summary>The body of <paramref name="note"/> if one of its signatures verifies under <paramref name="verifierKey"/>; otherwise null.</summary>
    public static string? Open(string note, string verifierKey)
    {
        var parts = verifierKey.Split('+', 3); // the base64 key itself may contain '+'
        if (parts.Length != 3)
        {
            return null;
        }

        byte[] encodedKey;
        try
        {
            encodedKey = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (encodedKey.Length != 33 || encodedKey[0] != Ed25519Type)
        {
            return null;
        }

        var name = parts[0];
        var publicKey = encodedKey[1..];
        var keyHash = KeyHash(name, publicKey);
        if (!string.Equals(parts[1], Convert.ToHexStringLower(keyHash), StringComparison.Ordinal))
        {
            return null;
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            return null;
        }

        var body = note[..(split + 1)];
        var message = Encoding.UTF8.GetBytes(body);
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            if (!line.StartsWith(SignaturePrefix + name + " ", StringComparison.Ordinal))
            {
                continue;
            }

            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(line[(SignaturePrefix.Length + name.Length + 1)..]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (signature.Length == 68 && signature.AsSpan(0, 4).SequenceEqual(keyHash))
            {
                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
                verifier.BlockUpdate(message, 0, message.Length);
                if (verifier.VerifySignature(signature[4..]))
                {
                    return body;
                }
            }
        }

        return null;
    }

    /// <summary>A new Ed25519 private key (32 bytes).</summary>
    public static byte[] NewPrivateKey() => RandomNumberGenerator.GetBytes(32);

    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey) =>
        new Ed25519PrivateKeyParameters(privateKey.ToArray()).GeneratePublicKey().GetEncoded();

    private static byte[] KeyHash(string name, ReadOnlySpan<byte> publicKey) =>
        SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', Ed25519Type, .. publicKey])[..4];

    private static bool IsValidName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || c == '+');
}
