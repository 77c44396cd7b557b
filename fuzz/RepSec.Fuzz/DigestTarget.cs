using System.Text;
using RepSec.Server.Rdap.Authentication;

namespace RepSec.Fuzz;

/// <summary>
/// The parameters of an <c>Authorization: Digest</c> header (<see cref="DigestAuthentication.TryParse"/>) from
/// arbitrary header text. Parsing never throws; a refusal says why; what is accepted has every required
/// parameter, and written out again with every value quoted it parses to the same credentials.
/// </summary>
internal static class DigestTarget
{
    public static void Run(ReadOnlySpan<byte> data)
    {
        // Header values reach the server as Latin-1 as often as UTF-8; both readings are tried.
        Check(Encoding.UTF8.GetString(data));
        Check(Encoding.Latin1.GetString(data));
    }

    /// <summary>Checks one header value (after <c>Digest </c>); returns the error when it is refused.</summary>
    public static string? Check(string parameters)
    {
        if (!DigestAuthentication.TryParse(parameters, out var credentials, out var error))
        {
            Invariant.That(credentials is null, "a refusal with credentials");
            Invariant.That(!string.IsNullOrEmpty(error), "a refusal without an error");
            return error;
        }

        Invariant.That(error is null, "accepted credentials with an error");
        Invariant.That(parameters.Length <= DigestAuthentication.MaxCredentialsLength, $"{parameters.Length} characters accepted");
        foreach (var (name, value) in Required(credentials))
        {
            Invariant.That(value.Length is > 0 and <= DigestAuthentication.MaxValueLength, $"{name} accepted with {value.Length} characters");
        }

        Invariant.That(!credentials.Username.Any(c => (c < 0x20 && c != '\t') || c == 0x7F), "a username with a control character accepted");
        var written = Write(credentials, out var longestValue);
        if (written.Length > DigestAuthentication.MaxCredentialsLength || longestValue > DigestAuthentication.MaxValueLength)
        {
            return null; // quoting and escaping made it longer than the limits: no round trip to check
        }

        Invariant.That(DigestAuthentication.TryParse(written, out var again, out var againError),
            $"the credentials written out again are refused: {againError} ({written})");
        Invariant.That(again == credentials, $"the credentials written out again parse differently: {written}");
        return null;
    }

    private static IEnumerable<(string Name, string Value)> Required(DigestCredentials c) =>
    [
        ("username", c.Username), ("realm", c.Realm), ("nonce", c.Nonce), ("uri", c.Uri), ("response", c.Response),
        ("qop", c.Qop), ("nc", c.NonceCount), ("cnonce", c.Cnonce),
    ];

    /// <summary>Every value as a quoted-string, with <c>\</c> and <c>"</c> escaped; the username as <c>username*</c> when it is not ASCII.</summary>
    private static string Write(DigestCredentials c, out int longestValue)
    {
        var builder = new StringBuilder();
        longestValue = Required(c).Max(r => r.Value.Length);
        if (c.Username.All(char.IsAscii))
        {
            Quoted(builder, "username", c.Username);
        }
        else
        {
            var start = builder.Append("username*=").Length;
            builder.Append("UTF-8''");
            foreach (var b in Encoding.UTF8.GetBytes(c.Username))
            {
                builder.Append(char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}");
            }

            longestValue = Math.Max(longestValue, builder.Length - start);
        }

        foreach (var (name, value) in Required(c).Skip(1))
        {
            Quoted(builder, name, value);
        }

        Quoted(builder, "algorithm", c.Algorithm switch
        {
            DigestAlgorithm.Md5 => "MD5",
            DigestAlgorithm.Md5Session => "MD5-sess",
            DigestAlgorithm.Sha256 => "SHA-256",
            _ => "SHA-256-sess",
        });
        if (c.Opaque is not null)
        {
            Quoted(builder, "opaque", c.Opaque);
        }

        return builder.ToString();
    }

    private static void Quoted(StringBuilder builder, string name, string value)
    {
        if (builder.Length > 0)
        {
            builder.Append(", ");
        }

        builder.Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '\\' or '"')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }
}
