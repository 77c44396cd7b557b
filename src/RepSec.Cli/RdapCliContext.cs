using System.CommandLine;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using RepSec.Cli.Commands;
using RepSec.Client.Rdap;

namespace RepSec.Cli;

/// <summary>One <c>repsec rdap</c> invocation: options to an <see cref="RdapClient"/>, the answer to stdout, failures to an exit code.</summary>
internal sealed class RdapCliContext(ParseResult parseResult, GlobalOptions globals, RdapCliOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(Func<RdapClient, CancellationToken, Task<RdapResponse>> query, CancellationToken cancellationToken)
    {
        var url = parseResult.GetValue(options.Url) ?? Environment("REPSEC_RDAP") ?? "https://localhost:8443/rdap/";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme != Uri.UriSchemeHttps)
        {
            return await FailAsync(ExitCodes.Usage, $"--rdap must be an https URL, not '{url}'");
        }

        var user = parseResult.GetValue(options.User);
        var password = parseResult.GetValue(options.PasswordStdin) ? (await stdin.ReadLineAsync(cancellationToken))?.TrimEnd('\r') : Environment("REPSEC_PASSWORD");
        if (user is not null && password is null)
        {
            return await FailAsync(ExitCodes.Usage, "--user needs a password: set $REPSEC_PASSWORD or use --password-stdin");
        }

        X509Certificate2? certificate = null;
        try
        {
            if (parseResult.GetValue(globals.Cert) is { } cert)
            {
                certificate = X509Certificate2.CreateFromPemFile(cert.FullName, parseResult.GetValue(globals.Key)?.FullName);
            }

            using (certificate)
            {
                var clientOptions = new RdapClientOptions
                {
                    CaCertificatePath = parseResult.GetValue(globals.Ca)?.FullName ?? Environment("REPSEC_CA"),
                    Insecure = parseResult.GetValue(globals.Insecure),
                    UserName = user,
                    Password = password,
                    Digest = parseResult.GetValue(options.Digest),
                    BearerToken = parseResult.GetValue(globals.Token) ?? (user is null ? Environment("REPSEC_TOKEN") : null),
                    ClientCertificate = certificate,
                    VerifySignatures = parseResult.GetValue(options.VerifySignature),
                    Timeout = TimeSpan.FromSeconds(parseResult.GetValue(globals.Timeout) ?? 30),
                };
                using var client = new RdapClient(baseUri, clientOptions);
                using var response = await query(client, cancellationToken);
                await stdout.WriteLineAsync(parseResult.GetValue(globals.Json) ? response.Raw : DescribeOrRaw(response));
                if (response.SignatureVerified == false)
                {
                    return await FailAsync(ExitCodes.ServerError, "the response signature did not verify");
                }

                return ExitCodes.Success;
            }
        }
        catch (RdapException exception) when (exception.StatusCode > 0)
        {
            if (parseResult.GetValue(globals.Json))
            {
                await stdout.WriteLineAsync(exception.Body);
            }

            var wait = exception.RetryAfter is { } retry ? $" (retry after {retry.TotalSeconds:0} s)" : "";
            return await FailAsync(ExitCodes.ForStatus(exception.StatusCode), $"{exception.StatusCode} {exception.Title}: {exception.Description}{wait}");
        }
        catch (Exception exception) when (exception is HttpRequestException or AuthenticationException or TaskCanceledException)
        {
            return await FailAsync(ExitCodes.Connection, $"cannot query {baseUri}: {exception.GetBaseException().Message}");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or ArgumentException or RdapException)
        {
            return await FailAsync(ExitCodes.Usage, exception.Message);
        }
    }

    /// <summary>The text view, or the raw JSON when the answer is not shaped as RDAP says (another server's quirks must not crash the CLI).</summary>
    private static string DescribeOrRaw(RdapResponse response)
    {
        try
        {
            return Describe(response);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            return response.Raw;
        }
    }

    /// <summary>A short text view: what the object is, its status, registrant and events, and what was withheld.</summary>
    private static string Describe(RdapResponse response)
    {
        var body = response.Body;
        var text = new StringBuilder();
        foreach (var array in (string[])["domainSearchResults", "entitySearchResults"])
        {
            if (body.TryGetProperty(array, out var results))
            {
                foreach (var item in results.EnumerateArray())
                {
                    text.AppendLine($"{String(item, "objectClassName")} {String(item, "handle")}  {Strings(item, "status")}");
                }

                text.Append(results.GetArrayLength() == 0 ? "no results" : $"{results.GetArrayLength()} result(s)");
                if (response.NextCursor is { } cursor)
                {
                    text.AppendLine().Append($"more: --cursor {cursor}");
                }

                return text.ToString();
            }
        }

        if (body.TryGetProperty("objectClassName", out _))
        {
            text.AppendLine($"{String(body, "objectClassName")} {String(body, "handle")}");
            text.AppendLine($"status: {Strings(body, "status")}");
            if (body.TryGetProperty("repsec_verified", out var verified))
            {
                text.AppendLine($"verified: {(verified.GetBoolean() ? "yes" : "no")}");
            }

            foreach (var entity in body.TryGetProperty("entities", out var entities) ? entities.EnumerateArray() : default)
            {
                text.AppendLine($"{Strings(entity, "roles")}: {(entity.TryGetProperty("handle", out var h) ? h.GetString() : "(withheld)")}{Card(entity)}");
            }

            text.Append(Card(body));
            foreach (var e in body.TryGetProperty("events", out var events) ? events.EnumerateArray() : default)
            {
                text.AppendLine($"{String(e, "eventAction")}: {String(e, "eventDate")}");
            }
        }
        else
        {
            foreach (var notice in body.TryGetProperty("notices", out var notices) ? notices.EnumerateArray() : default)
            {
                text.AppendLine($"{String(notice, "title")}:").AppendLine("  " + Strings(notice, "description", "\n  "));
            }
        }

        if (body.TryGetProperty("redacted", out var redacted))
        {
            text.Append("redacted: ").AppendJoin(", ", redacted.EnumerateArray().Select(r => r.GetProperty("name").TryGetProperty("description", out var d) ? d.GetString() : "?"));
        }

        if (response.SignatureVerified == true)
        {
            text.AppendLine().Append("signature: verified");
        }

        return text.ToString().TrimEnd();
    }

    private static string Card(JsonElement entity)
    {
        if (!entity.TryGetProperty("vcardArray", out var card) || card.GetArrayLength() < 2)
        {
            return "";
        }

        var parts = new StringBuilder();
        foreach (var property in card[1].EnumerateArray())
        {
            var name = property[0].GetString();
            if (name is "version" or "kind")
            {
                continue;
            }

            var value = property[3].ValueKind == JsonValueKind.Array
                ? string.Join(", ", property[3].EnumerateArray().Select(v => v.ToString()).Where(v => v.Length > 0))
                : property[3].ToString();
            if (value.Length > 0)
            {
                parts.AppendLine().Append($"  {name}: {value}");
            }
        }

        return parts.ToString();
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Strings(JsonElement element, string name, string separator = ", ") =>
        element.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array
            ? string.Join(separator, values.EnumerateArray().Select(v => v.ToString()))
            : "";

    private async Task<int> FailAsync(int code, string message)
    {
        await stderr.WriteLineAsync($"repsec: {message}");
        return code;
    }

    private static string? Environment(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
