using System.Text;
using RepSec.Protocol.Signatures;
using RepSec.Server.Rdap.Queries;

namespace RepSec.Server.Rdap;

/// <summary>
/// RFC 7481 section 3.6 integrity beyond TLS: RFC 9421 signatures over the status, content type and RFC 9530
/// Content-Digest of a response, bound to the request's method, path and query, under an ECDSA P-256 key kept in
/// the data directory and published as a JWK set. Signs when the client sends <c>Accept-Signature</c>, or always,
/// as configured.
/// </summary>
internal sealed class ResponseSigner
{
    /// <summary>Where the public keys are published (a JWK set).</summary>
    public const string KeysPath = "/.well-known/http-message-signatures-directory";

    public static readonly IReadOnlyList<ComponentId> Components =
    [
        "@status", "content-type", "content-digest",
        new ComponentId("@method", FromRequest: true), new ComponentId("@path", FromRequest: true), new ComponentId("@query", FromRequest: true),
    ];

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly HttpSignatureKey? _key;
    private readonly bool _always;
    private readonly byte[] _keySet;
    private readonly TimeProvider _time;

    private ResponseSigner(HttpSignatureKey? key, bool always, TimeProvider time)
    {
        _key = key;
        _always = always;
        _time = time;
        _keySet = Encoding.UTF8.GetBytes(key is null ? """{"keys":[]}""" : HttpSignatureKeySet.Serialize([key]));
    }

    public bool Enabled => _key is not null;

    public static ResponseSigner Create(RdapOptions options, string dataDirectory, RdapQueries queries, TimeProvider time)
    {
        if (options.SignResponses == "never")
        {
            return new ResponseSigner(null, always: false, time);
        }

        queries.SignatureKeysPath = KeysPath;
        return new ResponseSigner(LoadOrCreateKey(dataDirectory), options.SignResponses == "always", time);
    }

    /// <summary>Answers the key directory request; false when the request is for something else.</summary>
    public async ValueTask<bool> TryServeKeysAsync(HttpContext context)
    {
        if (!string.Equals(context.Request.Path.Value, KeysPath, StringComparison.Ordinal))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/http-message-signatures-directory+json";
        context.Response.ContentLength = _keySet.Length;
        context.Response.Headers.CacheControl = "max-age=86400";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(_keySet, context.RequestAborted);
        }

        return true;
    }

    public void SignIfWanted(HttpContext context, int status, ReadOnlySpan<byte> body)
    {
        if (_key is null || (!_always && !context.Request.Headers.ContainsKey("Accept-Signature")))
        {
            return;
        }

        var headers = context.Response.Headers;
        headers["Content-Digest"] = ContentDigest.Sha256(body);
        var request = context.Request;
        var target = RequestTarget.Of(context);
        var requestComponents = new HttpRequestComponents(request.Method, "https", request.Host.Value ?? "", target, []);
        var response = new HttpResponseComponents(status,
            [new("content-type", headers.ContentType.ToString()), new("content-digest", headers["Content-Digest"].ToString())], requestComponents);
        var now = _time.GetUtcNow();
        var (input, signature) = HttpMessageSigner.Sign(response, Components,
            new SignatureParameters { Created = now, Expires = now + Lifetime, Algorithm = _key.Algorithm, Tag = "rdap" }, _key, "rdap");
        headers["Signature-Input"] = input;
        headers["Signature"] = signature;
        headers.AccessControlExposeHeaders = RdapEndpoint.ExposedHeaders;
    }

    /// <summary>The signing key lives with the data (owner-only), created on first use; losing it only means a new key id.</summary>
    private static HttpSignatureKey LoadOrCreateKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "rdap-signing-key.jwk");
        if (File.Exists(path))
        {
            return HttpSignatureKey.FromJwk(File.ReadAllText(path));
        }

        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithms.EcdsaP256Sha256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(path, Encoding.UTF8, options))
        {
            file.Write(key.ToJwk(includePrivateKey: true));
        }

        return key;
    }
}
