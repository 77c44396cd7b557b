using Microsoft.AspNetCore.Http.Features;

namespace RepSec.Server.Rdap.Queries;

/// <summary>
/// The request target as the client sent it (what Digest's <c>uri</c> must equal and what the strict parser
/// reads), or, for an absolute-form target (RFC 9112 section 3.2.2), its path and query.
/// </summary>
internal static class RequestTarget
{
    public static string Of(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/' ? raw : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
    }
}
