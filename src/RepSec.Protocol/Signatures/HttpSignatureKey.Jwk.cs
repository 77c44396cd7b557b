using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RepSec.Protocol.Signatures;

public abstract partial class HttpSignatureKey
{
    /// <summary>Longest JWK or JWK set text accepted, in characters.</summary>
    internal const int MaxJwkLength = 65_536;

    internal static readonly JsonDocumentOptions JwkJsonOptions = new() { MaxDepth = 8, AllowDuplicateProperties = false };

    /// <summary>
    /// The key as a JWK (RFC 7517) with <c>kid</c>, <c>alg</c> (the JOSE name: ES256, EdDSA, PS512, RS256) and
    /// <c>use</c> "sig"; the private member <c>d</c> only if asked for and present.
    /// </summary>
    public string ToJwk(bool includePrivateKey = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJwk(writer, includePrivateKey);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A key from a JWK: kty EC with crv P-256, kty OKP with crv Ed25519 (with <c>d</c> for a signing key),
    /// or kty RSA with an <c>alg</c> of PS512 or RS256 (verify-only). Without <c>kid</c> the key id is the thumbprint.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a JWK; the message says why.</exception>
    public static HttpSignatureKey FromJwk(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJwkLength)
        {
            throw new FormatException($"a JWK is at most {MaxJwkLength} characters");
        }

        try
        {
            using var document = JsonDocument.Parse(json, JwkJsonOptions);
            return TryImport(document.RootElement, allowPrivate: true, out var key, out var error) ? key : throw new FormatException(error);
        }
        catch (JsonException e)
        {
            throw new FormatException("a JWK is a JSON object: " + e.Message, e);
        }
    }

    internal void WriteJwk(Utf8JsonWriter writer, bool includePrivateKey)
    {
        writer.WriteStartObject();
        writer.WriteString("kty", KeyType);
        foreach (var (name, value) in PublicMembers())
        {
            writer.WriteString(name, value);
        }

        if (includePrivateKey && PrivateMember() is { } d)
        {
            writer.WriteString("d", d);
        }

        writer.WriteString("kid", KeyId);
        writer.WriteString("alg", HttpSignatureAlgorithms.ToJose(Algorithm));
        writer.WriteString("use", "sig");
        writer.WriteEndObject();
    }

    /// <summary>Imports one JWK; never throws for malformed input. With <paramref name="allowPrivate"/> false, <c>d</c> is ignored.</summary>
    internal static bool TryImport(JsonElement jwk, bool allowPrivate, out HttpSignatureKey key, out string error)
    {
        key = null!;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            error = "a JWK is a JSON object";
            return false;
        }

        if (!TryGetString(jwk, "kty", required: true, out var kty, out error)
            || !TryGetString(jwk, "kid", required: false, out var kid, out error)
            || !TryGetString(jwk, "alg", required: false, out var alg, out error)
            || !TryGetString(jwk, "use", required: false, out var use, out error))
        {
            return false;
        }

        if (use is not null && use != "sig")
        {
            error = $"the key's use is '{use}', not sig";
            return false;
        }

        string? algorithm = null;
        if (alg is not null && (algorithm = HttpSignatureAlgorithms.FromJwkAlg(alg)) is null)
        {
            error = $"the algorithm '{alg}' is not supported";
            return false;
        }

        if (kid is { Length: 0 })
        {
            error = "the kid is empty";
            return false;
        }

        try
        {
            return kty switch
            {
                "EC" => TryImportEc(jwk, algorithm, kid, allowPrivate, out key, out error),
                "OKP" => TryImportOkp(jwk, algorithm, kid, allowPrivate, out key, out error),
                "RSA" => TryImportRsa(jwk, algorithm, kid, out key, out error),
                _ => Fail($"the key type '{kty}' is not supported", out error),
            };
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The coordinates decoded but are not a valid key (off the curve, d not matching, ...).
            error = "the key is invalid: " + e.Message;
            return false;
        }
    }

    private static bool TryImportEc(JsonElement jwk, string? algorithm, string? kid, bool allowPrivate, out HttpSignatureKey key, out string error)
    {
        key = null!;
        if (algorithm is not (null or HttpSignatureAlgorithms.EcdsaP256Sha256))
        {
            return Fail($"an EC key is not for {algorithm}", out error);
        }

        if (!TryGetString(jwk, "crv", required: true, out var crv, out error) || !TryGetBytes(jwk, "x", 32, required: true, out var x, out error)
            || !TryGetBytes(jwk, "y", 32, required: true, out var y, out error) || !TryGetBytes(jwk, "d", 32, required: false, out var d, out error))
        {
            return false;
        }

        if (crv != "P-256")
        {
            return Fail($"the curve '{crv}' is not supported; EC keys are P-256", out error);
        }

        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y }, D = allowPrivate ? d : null };
        key = new EcdsaP256Key(parameters, kid);
        return true;
    }

    private static bool TryImportOkp(JsonElement jwk, string? algorithm, string? kid, bool allowPrivate, out HttpSignatureKey key, out string error)
    {
        key = null!;
        if (algorithm is not (null or HttpSignatureAlgorithms.Ed25519))
        {
            return Fail($"an OKP key is not for {algorithm}", out error);
        }

        if (!TryGetString(jwk, "crv", required: true, out var crv, out error) || !TryGetBytes(jwk, "x", 32, required: true, out var x, out error)
            || !TryGetBytes(jwk, "d", 32, required: false, out var d, out error))
        {
            return false;
        }

        if (crv != "Ed25519")
        {
            return Fail($"the curve '{crv}' is not supported; OKP keys are Ed25519", out error);
        }

        if (!allowPrivate || d is null)
        {
            key = Ed25519Key.FromPublic(x!, kid);
            return true;
        }

        var signing = Ed25519Key.FromPrivate(d, kid);
        if (!signing.PublicKey.AsSpan().SequenceEqual(x))
        {
            return Fail("the public key x does not belong to the private key d", out error);
        }

        key = signing;
        return true;
    }

    private static bool TryImportRsa(JsonElement jwk, string? algorithm, string? kid, out HttpSignatureKey key, out string error)
    {
        key = null!;
        if (algorithm is not (HttpSignatureAlgorithms.RsaPssSha512 or HttpSignatureAlgorithms.RsaV15Sha256))
        {
            return Fail("an RSA key needs an alg of PS512 or RS256", out error);
        }

        if (!TryGetBytes(jwk, "n", 0, required: true, out var n, out error) || !TryGetBytes(jwk, "e", 0, required: true, out var e, out error))
        {
            return false;
        }

        key = new RsaKey(new RSAParameters { Modulus = n, Exponent = e }, algorithm, kid);
        return true;
    }

    private static bool TryGetString(JsonElement jwk, string name, bool required, out string? value, out string error)
    {
        value = null;
        error = "";
        if (!jwk.TryGetProperty(name, out var member))
        {
            return !required || Fail($"the JWK has no {name}", out error);
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            return Fail($"the JWK member {name} is not a string", out error);
        }

        value = member.GetString();
        return true;
    }

    /// <summary>A base64url member; strict: no padding, no stray characters, canonical trailing bits, and the exact length if one is given.</summary>
    private static bool TryGetBytes(JsonElement jwk, string name, int length, bool required, out byte[]? value, out string error)
    {
        value = null;
        if (!TryGetString(jwk, name, required, out var text, out error) || text is null)
        {
            return error.Length == 0;
        }

        if (text.Length == 0 || text.Length > MaxJwkLength || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Fail($"the JWK member {name} is not base64url", out error);
        }

        try
        {
            value = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return Fail($"the JWK member {name} is not base64url", out error);
        }

        if (Base64Url.EncodeToString(value) != text)
        {
            return Fail($"the JWK member {name} is not canonical base64url", out error);
        }

        if (length > 0 && value.Length != length)
        {
            return Fail($"the JWK member {name} is {value.Length} bytes, not {length}", out error);
        }

        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
