using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

/// <summary>
/// The client side of RFC 7616, written out plainly from the RFC's formulas with string concatenation, to check
/// the server against something that shares none of its code.
/// </summary>
internal static partial class DigestClient
{
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "RFC 7616 MD5 test vectors")]
    public static string H(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var digest = algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(bytes) : MD5.HashData(bytes);
        return Convert.ToHexStringLower(digest);
    }

    public static string Response(string algorithm, string username, string realm, string password, string nonce,
        string nc, string cnonce, string method, string uri)
    {
        var ha1 = H(algorithm, username + ":" + realm + ":" + password);
        if (algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            ha1 = H(algorithm, ha1 + ":" + nonce + ":" + cnonce);
        }

        var ha2 = H(algorithm, method + ":" + uri);
        return H(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    /// <summary>The server's enum for an RFC 7616 algorithm name (tests pass names: the enum is internal).</summary>
    public static DigestAlgorithm Algorithm(string name) => name switch
    {
        "MD5" => DigestAlgorithm.Md5,
        "MD5-sess" => DigestAlgorithm.Md5Session,
        "SHA-256" => DigestAlgorithm.Sha256,
        "SHA-256-sess" => DigestAlgorithm.Sha256Session,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static string Name(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Session => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        _ => "SHA-256-sess",
    };

    /// <summary>The nonce and opaque of a challenge.</summary>
    public static (string Nonce, string Opaque) Read(string challenge)
    {
        var nonce = NonceParameter().Match(challenge);
        var opaque = OpaqueParameter().Match(challenge);
        Assert.True(nonce.Success && opaque.Success, challenge);
        return (nonce.Groups[1].Value, opaque.Groups[1].Value);
    }

    /// <summary>The parameters of an Authorization header answering a challenge, as a browser would send them.</summary>
    public static string Authorization(string algorithm, string username, string realm, string password, string nonce,
        string opaque, string nc, string cnonce, string method, string uri, string? sentUri = null)
    {
        var response = Response(algorithm, username, realm, password, nonce, nc, cnonce, method, uri);
        return $"username=\"{username}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{sentUri ?? uri}\", "
            + $"algorithm={algorithm}, response=\"{response}\", opaque=\"{opaque}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\"";
    }

    [GeneratedRegex("nonce=\"([^\"]*)\"")]
    private static partial Regex NonceParameter();

    [GeneratedRegex("opaque=\"([^\"]*)\"")]
    private static partial Regex OpaqueParameter();
}
