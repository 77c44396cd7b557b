using RepSec.Protocol.Signatures;

namespace RepSec.Client.Rdap;

public sealed partial class RdapClient
{
    private const string KeysPath = "/.well-known/http-message-signatures-directory";

    // RFC 9421 section 5.1: which components the client wants covered; the server signs exactly these.
    private const string SignatureRequest = "rdap=(\"@status\" \"content-type\" \"content-digest\" \"@method\";req \"@path\";req \"@query\";req)";

    private static readonly VerificationPolicy Policy = new()
    {
        RequiredComponents =
        [
            "@status", "content-type", "content-digest",
            new ComponentId("@method", FromRequest: true), new ComponentId("@path", FromRequest: true), new ComponentId("@query", FromRequest: true),
        ],
        MaxAge = TimeSpan.FromMinutes(5),
    };

    private IReadOnlyList<HttpSignatureKey>? _keys;

    /// <summary>Checks the body against Content-Digest and the signature against the server's published keys.</summary>
    private async Task<bool> VerifySignatureAsync(HttpResponseMessage response, byte[] body, CancellationToken cancellationToken)
    {
        var digest = Header(response, "Content-Digest");
        if (digest is null || !ContentDigest.Verify(digest, body))
        {
            return false;
        }

        var keys = _keys ??= await FetchKeysAsync(cancellationToken);
        var request = response.RequestMessage!;
        var uri = request.RequestUri!;
        var requestComponents = new HttpRequestComponents(request.Method.Method, uri.Scheme, uri.Authority, uri.PathAndQuery, []);
        var message = new HttpResponseComponents((int)response.StatusCode,
            [new("content-type", response.Content.Headers.ContentType?.ToString() ?? ""), new("content-digest", digest)], requestComponents);
        var result = HttpMessageVerifier.Verify(message, Header(response, "Signature-Input"), Header(response, "Signature"),
            keyId => keys.FirstOrDefault(k => k.KeyId == keyId), Policy, DateTimeOffset.UtcNow);
        return result.IsValid;
    }

    private async Task<IReadOnlyList<HttpSignatureKey>> FetchKeysAsync(CancellationToken cancellationToken)
    {
        var json = await _http.GetStringAsync(new Uri(_base, KeysPath), cancellationToken);
        return HttpSignatureKeySet.TryParse(json, out var keys) ? keys : [];
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
