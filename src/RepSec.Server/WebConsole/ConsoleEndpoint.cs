using System.Collections.Frozen;
using System.Security.Cryptography;

namespace RepSec.Server.WebConsole;

/// <summary>
/// The web console's files (WebConsole/Assets, embedded in repsecd): the page at <c>/</c>, its script, its style and
/// its icon, on the RDAP listener. A strict Content-Security-Policy: scripts, styles and requests from this origin only,
/// nothing inline, no frames; the page verifies what it shows with the transparency endpoints (<c>/log/...</c>).
/// </summary>
internal static class ConsoleEndpoint
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = new Dictionary<string, Asset>(StringComparer.Ordinal)
    {
        ["/"] = Load("index.html", "text/html; charset=utf-8"),
        ["/console.js"] = Load("console.js", "text/javascript; charset=utf-8"),
        ["/console.css"] = Load("console.css", "text/css; charset=utf-8"),
        ["/favicon.svg"] = Load("favicon.svg", "image/svg+xml"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether the request names one of the console's files (and reads it); anything else is RDAP's.</summary>
    public static bool Serves(HttpContext context) =>
        Assets.ContainsKey(context.Request.Path.Value ?? "") && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));

    public static async Task ServeAsync(HttpContext context)
    {
        var asset = Assets[context.Request.Path.Value!];
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Bytes);
        }
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(ConsoleEndpoint).Assembly.GetManifestResourceStream("console/" + name)
            ?? throw new InvalidOperationException($"the console's {name} is not embedded in repsecd");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
