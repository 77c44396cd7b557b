using System.Security.Cryptography;
using System.Text;
using RepSec.Core.Transparency;
using RepSec.Protocol.Transparency;

namespace RepSec.Server.Transparency;

/// <summary>
/// The log's signing key under the data directory: <c>log-key</c> (0600) holds it in the signed-note private key
/// form <c>PRIVATE+KEY+NAME+HASH+base64(0x01 || seed)</c>, <c>log-key.pub</c> the verifier key clients pin.
/// Created on first start; the name in the file is the origin unless one is configured.
/// </summary>
internal static class LogKeyFile
{
    public const string FileName = "log-key";
    public const string PublicFileName = "log-key.pub";
    private const string Prefix = "PRIVATE+KEY+";

    public static LogSigningKey LoadOrCreate(string dataDirectory, string? configuredOrigin)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        var (name, seed) = Parse(File.ReadAllText(path).Trim(), path);
        var key = new LogSigningKey(configuredOrigin ?? name, seed);
        var publicPath = Path.Combine(dataDirectory, PublicFileName);
        var published = key.VerifierKey + "\n";
        if (!File.Exists(publicPath) || File.ReadAllText(publicPath) != published)
        {
            File.WriteAllText(publicPath, published);
        }

        return key;
    }

    private static void TryCreate(string path)
    {
        var seed = SignedNote.NewPrivateKey();
        var name = LogSigningKey.DefaultOrigin(SignedNote.PublicKey(seed));
        var hash = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', 0x01, .. SignedNote.PublicKey(seed)])[..4]);
        var text = $"{Prefix}{name}+{hash}+{Convert.ToBase64String([0x01, .. seed])}\n";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, options);
            file.Write(Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use that one.
        }
    }

    private static (string Name, byte[] Seed) Parse(string text, string path)
    {
        var parts = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..].Split('+', 3) : [];
        byte[]? encoded = null;
        if (parts.Length == 3)
        {
            try
            {
                encoded = Convert.FromBase64String(parts[2]);
            }
            catch (FormatException)
            {
            }
        }

        if (encoded is not { Length: 33 } || encoded[0] != 0x01 || parts[0].Length == 0)
        {
            throw new InvalidOperationException($"{path} is not an Ed25519 signed-note private key (PRIVATE+KEY+NAME+HASH+KEY)");
        }

        return (parts[0], encoded[1..]);
    }
}
