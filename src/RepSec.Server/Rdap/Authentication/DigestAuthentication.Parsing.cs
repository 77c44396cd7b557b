using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RepSec.Server.Rdap.Authentication;

internal sealed partial class DigestAuthentication
{
    /// <summary>Longer credentials are refused before any parsing.</summary>
    public const int MaxCredentialsLength = 4096;

    /// <summary>Longer parameter values (after unquoting) are refused.</summary>
    public const int MaxValueLength = 1024;

    private static readonly string[] RequiredParameters = ["realm", "nonce", "uri", "response", "qop", "nc", "cnonce"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses the auth-param list after <c>Digest </c> (RFC 9110 §11.4, RFC 7616 §3.4): names are case-insensitive
    /// tokens, values tokens or quoted-strings, separated by commas; empty list elements are allowed, repeated
    /// names are not; unknown parameters are ignored. Only the syntax and the presence of parameters are checked
    /// here; verification judges their values.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> parameters, [NotNullWhen(true)] out DigestCredentials? credentials,
        [NotNullWhen(false)] out string? error)
    {
        credentials = null;
        if (parameters.Length > MaxCredentialsLength)
        {
            error = $"Digest credentials longer than {MaxCredentialsLength} characters";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = ReadParameters(parameters, values);
        if (error is not null)
        {
            return false;
        }

        error = ReadUsername(values, out var username);
        if (error is not null)
        {
            return false;
        }

        foreach (var name in RequiredParameters)
        {
            if (!values.TryGetValue(name, out var value) || value.Length == 0)
            {
                error = $"Digest parameter {name} is missing";
                return false;
            }
        }

        var algorithm = DigestAlgorithm.Md5; // RFC 7616 §3.4: absent means MD5
        if (values.TryGetValue("algorithm", out var algorithmName) && !TryParseAlgorithm(algorithmName, out algorithm))
        {
            error = "Digest algorithm is not supported";
            return false;
        }

        // userhash is never offered in a challenge, so a hashed username cannot be meant for this server.
        if (values.TryGetValue("userhash", out var userhash) && !userhash.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            error = "Digest userhash is not supported";
            return false;
        }

        credentials = new DigestCredentials(username, values["realm"], values["nonce"], values["uri"], values["response"],
            algorithm, values["qop"], values["nc"], values["cnonce"], values.GetValueOrDefault("opaque"));
        return true;
    }

    private static string? ReadParameters(ReadOnlySpan<char> text, Dictionary<string, string> values)
    {
        Span<char> buffer = stackalloc char[MaxValueLength];
        var position = 0;
        while (true)
        {
            // Empty list elements and the whitespace around commas (RFC 9110 §5.6.1).
            while (position < text.Length && (IsWhitespace(text[position]) || text[position] == ','))
            {
                position++;
            }

            if (position == text.Length)
            {
                return null;
            }

            var nameStart = position;
            while (position < text.Length && IsTokenChar(text[position]))
            {
                position++;
            }

            if (position == nameStart)
            {
                return "Digest credentials: expected a parameter name";
            }

            var name = text[nameStart..position].ToString();
            position = SkipWhitespace(text, position);
            if (position == text.Length || text[position] != '=')
            {
                return $"Digest credentials: expected '=' after {name}";
            }

            position = SkipWhitespace(text, position + 1);
            var length = 0;
            var error = position < text.Length && text[position] == '"'
                ? ReadQuoted(text, ref position, buffer, out length)
                : ReadToken(text, ref position, buffer, out length);
            if (error is not null)
            {
                return $"Digest credentials: {name} {error}";
            }

            if (!values.TryAdd(name, buffer[..length].ToString()))
            {
                return $"Digest parameter {name} is repeated";
            }

            position = SkipWhitespace(text, position);
            if (position < text.Length && text[position] != ',')
            {
                return $"Digest credentials: expected ',' after {name}";
            }
        }
    }

    private static string? ReadToken(ReadOnlySpan<char> text, ref int position, Span<char> value, out int length)
    {
        var start = position;
        while (position < text.Length && IsTokenChar(text[position]))
        {
            position++;
        }

        length = position - start;
        if (length == 0)
        {
            return "has no value";
        }

        if (length > value.Length)
        {
            return "is too long";
        }

        text[start..position].CopyTo(value);
        return null;
    }

    /// <summary>quoted-string: qdtext or a backslash and the character it escapes (RFC 9110 §5.6.4).</summary>
    private static string? ReadQuoted(ReadOnlySpan<char> text, ref int position, Span<char> value, out int length)
    {
        length = 0;
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return null;
            }

            if (c == '\\')
            {
                if (position == text.Length)
                {
                    break;
                }

                c = text[position++];
            }

            if (IsControl(c))
            {
                return "contains a control character";
            }

            if (length == value.Length)
            {
                return "is too long";
            }

            value[length++] = c;
        }

        return "has no closing quote";
    }

    /// <summary>username, or username* as an RFC 8187 ext-value in UTF-8 (RFC 7616 §3.4, §4); not both.</summary>
    private static string? ReadUsername(Dictionary<string, string> values, out string username)
    {
        var plain = values.TryGetValue("username", out var value);
        var extended = values.TryGetValue("username*", out var encoded);
        username = value ?? string.Empty;
        if (plain && extended)
        {
            return "Digest parameters username and username* are both present";
        }

        if (extended && !TryDecodeExtValue(encoded!, out username))
        {
            return "Digest parameter username* is not a UTF-8 ext-value";
        }

        if (username.Length == 0)
        {
            return "Digest parameter username is missing";
        }

        return username.Any(IsControl) ? "Digest parameter username contains a control character" : null;
    }

    /// <summary>ext-value = charset "'" [ language ] "'" value-chars, with charset UTF-8 (RFC 8187 §3.2).</summary>
    private static bool TryDecodeExtValue(string text, out string value)
    {
        value = string.Empty;
        var charsetEnd = text.IndexOf('\'', StringComparison.Ordinal);
        var languageEnd = charsetEnd < 0 ? -1 : text.IndexOf('\'', charsetEnd + 1);
        if (languageEnd < 0 || !text.AsSpan(0, charsetEnd).Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxValueLength];
        var length = 0;
        for (var i = languageEnd + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                bytes[length++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else if (IsAttrChar(c))
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                return false;
            }
        }

        try
        {
            value = StrictUtf8.GetString(bytes[..length]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryParseAlgorithm(string name, out DigestAlgorithm algorithm)
    {
        algorithm = name.ToUpperInvariant() switch
        {
            "MD5" => DigestAlgorithm.Md5,
            "MD5-SESS" => DigestAlgorithm.Md5Session,
            "SHA-256" => DigestAlgorithm.Sha256,
            "SHA-256-SESS" => DigestAlgorithm.Sha256Session,
            _ => (DigestAlgorithm)(-1),
        };
        return Enum.IsDefined(algorithm);
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && IsWhitespace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>Everything but HTAB below 0x20, and DEL (RFC 9110 §5.6.4 allows neither in a quoted-string).</summary>
    private static bool IsControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;

    /// <summary>tchar (RFC 9110 §5.6.2).</summary>
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    /// <summary>attr-char (RFC 8187 §3.2.1): tchar without "*", "'" and "%".</summary>
    private static bool IsAttrChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
