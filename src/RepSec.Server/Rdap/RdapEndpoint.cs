using System.Buffers;
using System.Globalization;
using System.Net;
using RepSec.Core;
using RepSec.Core.Limits;
using RepSec.Core.Security;
using RepSec.Server.Rdap.Authentication;
using RepSec.Server.Rdap.Queries;
using RepSec.Server.Rdap.Responses;
using RepSec.Server.Repute;

namespace RepSec.Server.Rdap;

/// <summary>
/// The RDAP request pipeline, in order: CORS and method, the authentication-failure throttle, authentication,
/// the per-client rate limit, query parsing, the answer, and (when asked) its signature. Every answer, errors
/// included, is <c>application/rdap+json</c> and carries <c>Access-Control-Allow-Origin: *</c>; RFC 7072
/// reputation queries (<see cref="ReputeEndpoint"/>) take the same pipeline and answer in their own media types.
/// </summary>
internal sealed partial class RdapEndpoint(
    RdapAuthenticator authenticator,
    RdapRateLimiter rateLimiter,
    RequestLimiter failureThrottle,
    RdapQueries queries,
    ReputeEndpoint repute,
    Transparency.LogEndpoint transparency,
    WebConsole.OperatorEndpoint operatorView,
    Blocklist.BlocklistEndpoint blocklist,
    Decisions.DecisionsEndpoint decisions,
    AnswerCache cache,
    ResponseSigner signer,
    DisclosurePolicy policy,
    RdapOptions options,
    ServerOptions server,
    TimeProvider time,
    RepSecMetrics metrics,
    ILogger<RdapEndpoint> logger)
{
    /// <summary>Headers browser scripts may read where they are sent: the challenge, the wait, the signature.</summary>
    public const string ExposedHeaders = "WWW-Authenticate, Retry-After, Content-Digest, Signature, Signature-Input";

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.AccessControlAllowOrigin = "*";
        // Answers are JSON only; no browser may sniff one into something it would render.
        response.Headers.XContentTypeOptions = "nosniff";
        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            // CORS preflight: browsers ask before sending Authorization from another origin.
            response.Headers.AccessControlAllowMethods = "GET, HEAD, OPTIONS";
            response.Headers.AccessControlAllowHeaders = "Authorization, Accept, Accept-Signature";
            response.Headers.AccessControlMaxAge = "86400";
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            response.Headers.Allow = "GET, HEAD, OPTIONS";
            await WriteErrorAsync(context, Principal.Anonymous, new RdapError(405, "Method Not Allowed", "RDAP is read with GET or HEAD"), "none");
            return;
        }

        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            // RDAP requests have no body. One sent anyway is refused rather than left unread, so no client can have
            // it taken for a request of its own, and the connection closes instead of draining it.
            await WriteErrorAsync(context, Principal.Anonymous, new RdapError(413, "Content Too Large", "RDAP requests carry no body"), "none");
            return;
        }

        if (await signer.TryServeKeysAsync(context))
        {
            return;
        }

        if (decisions.Enabled && RequestTarget.Of(context) is var decisionsTarget && Decisions.DecisionsEndpoint.Serves(decisionsTarget))
        {
            // CrowdSec bouncers authenticate with X-Api-Key, not Authorization: the endpoint checks it, throttles and limits itself.
            var (status, body) = await decisions.AnswerAsync(context, decisionsTarget);
            await WriteAsync(context, status, body, "api-key", JsonAnswer.MediaType, "no-store");
            return;
        }

        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (context.Request.Headers.Authorization.Count > 0 && await failureThrottle.AuthenticationThrottledAsync(address, context.RequestAborted) is { } throttled)
        {
            metrics.RateLimited("rdap_auth");
            await WriteThrottledAsync(context, Principal.Anonymous, throttled, "too many failed authentications from this address", "none");
            return;
        }

        var identity = await authenticator.AuthenticateAsync(context, context.RequestAborted);
        if (identity.Failure == RdapAuthFailure.Busy)
        {
            metrics.RateLimited("rdap_auth");
            await WriteThrottledAsync(context, Principal.Anonymous, 1, "a password check from this address is already running", "none");
            return;
        }

        if (identity.Failure != RdapAuthFailure.None)
        {
            if (identity.Failure == RdapAuthFailure.Invalid)
            {
                await failureThrottle.RecordAuthenticationFailureAsync(address, context.RequestAborted);
                metrics.AuthFailure();
                LogAuthenticationFailed(logger, address);
            }

            await WriteChallengeAsync(context, identity.Failure == RdapAuthFailure.StaleNonce,
                identity.Failure == RdapAuthFailure.StaleNonce ? "the Digest nonce expired; retry with the new one" : "the credentials were not accepted");
            return;
        }

        if (await rateLimiter.TryAcquireAsync(identity.Principal, address, context.RequestAborted) is { } retryAfter)
        {
            metrics.RateLimited(identity.Principal.IsAnonymous ? "rdap_anonymous" : "rdap_principal");
            await WriteThrottledAsync(context, identity.Principal, retryAfter, "request rate limit exceeded", identity.Method);
            return;
        }

        var target = RequestTarget.Of(context);
        if (ReputeEndpoint.Serves(target))
        {
            await ServeReputeAsync(context, identity, target);
            return;
        }

        if (Transparency.LogEndpoint.Serves(target))
        {
            await ServeJsonAsync(context, identity, "transparency", transparency.AnswerAsync(target, identity.Principal, context.RequestAborted));
            return;
        }

        if (Blocklist.BlocklistEndpoint.Serves(target) && server.Blocklist.Enabled)
        {
            await ServeBlocklistAsync(context, identity, target);
            return;
        }

        if (WebConsole.OperatorEndpoint.Serves(target))
        {
            await ServeJsonAsync(context, identity, "operator", operatorView.AnswerAsync(target, identity.Principal, context.RequestAborted));
            return;
        }

        var host = context.Request.Host.Value ?? "";
        var cacheable = identity.Principal.IsAnonymous;
        if (cacheable && cache.TryGet(host, target, out var cached))
        {
            await WriteAsync(context, StatusCodes.Status200OK, cached, identity.Method);
            return;
        }

        var versionBefore = cache.Version;
        if (!RdapQueryParser.TryParse(target, out var query, out var error))
        {
            await WriteErrorAsync(context, identity.Principal, error, identity.Method);
            return;
        }

        if (query.RequireAuthentication && identity.Principal.IsAnonymous)
        {
            await WriteChallengeAsync(context, stale: false, "this URL requires authentication");
            return;
        }

        RdapAnswer answer;
        try
        {
            answer = await queries.AnswerAsync(query, View(context, identity.Principal), authenticator.Methods, context.RequestAborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueryFailed(logger, exception, query.Kind.ToString());
            await WriteErrorAsync(context, identity.Principal, new RdapError(500, "Internal Server Error", "the query could not be answered"), identity.Method);
            return;
        }

        if (answer.Status == StatusCodes.Status401Unauthorized)
        {
            answer.Dispose();
            await WriteChallengeAsync(context, stale: false, "this object requires authentication");
            return;
        }

        using (answer)
        {
            if (cacheable && answer.Status == StatusCodes.Status200OK)
            {
                cache.Add(host, target, versionBefore, answer.Body.Span);
            }

            await WriteAsync(context, answer.Status, answer.Body, identity.Method);
        }
    }

    /// <summary>An RFC 7072 answer; not kept in the answer cache, so a report shows in the next query.</summary>
    private async Task ServeReputeAsync(HttpContext context, RdapIdentity identity, string target)
    {
        ReputeAnswer answer;
        try
        {
            answer = await repute.AnswerAsync(target, View(context, identity.Principal), context.Connection.LocalPort, context.RequestAborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueryFailed(logger, exception, "repute");
            await WriteErrorAsync(context, identity.Principal, new RdapError(500, "Internal Server Error", "the query could not be answered"), identity.Method);
            return;
        }

        string? cacheControl = null;
        if (answer.Expires is { } expires)
        {
            context.Response.Headers.Expires = expires.ToString("R", CultureInfo.InvariantCulture);
            cacheControl = "max-age=" + answer.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture);
        }

        await WriteAsync(context, answer.Status, answer.Body, identity.Method, answer.ContentType, cacheControl);
    }

    /// <summary>A blocklist, streamed as it is written; an error (a bad parameter, the table still loading) as RDAP errors are.</summary>
    private async Task ServeBlocklistAsync(HttpContext context, RdapIdentity identity, string target)
    {
        if (identity.Principal.IsAnonymous && !blocklist.AllowsAnonymous)
        {
            await WriteChallengeAsync(context, stale: false, "the blocklists require authentication");
            return;
        }

        RdapError? error;
        try
        {
            error = await blocklist.ServeAsync(context, target, identified: identity.Method is not ("anonymous" or "none"));
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !context.Response.HasStarted)
        {
            LogQueryFailed(logger, exception, "blocklist");
            error = new RdapError(500, "Internal Server Error", "the blocklist could not be written");
        }

        if (error is not null)
        {
            await WriteErrorAsync(context, identity.Principal, error, identity.Method);
            return;
        }

        metrics.RdapRequest(context.Response.StatusCode, identity.Method);
    }

    /// <summary>A plain JSON answer (the transparency log, the operator view); never cached: both change all the time.</summary>
    private async Task ServeJsonAsync(HttpContext context, RdapIdentity identity, string kind, Task<(int Status, ReadOnlyMemory<byte> Body)> answering)
    {
        (int Status, ReadOnlyMemory<byte> Body) answer;
        try
        {
            answer = await answering;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueryFailed(logger, exception, kind);
            await WriteErrorAsync(context, identity.Principal, new RdapError(500, "Internal Server Error", "the query could not be answered"), identity.Method);
            return;
        }

        await WriteAsync(context, answer.Status, answer.Body, identity.Method, JsonAnswer.MediaType, "no-cache");
    }

    private RdapView View(HttpContext context, Principal reader) => new(BaseUrl(context), reader, policy, options, time.GetUtcNow());

    private string BaseUrl(HttpContext context) =>
        options.BaseUrl?.TrimEnd('/') ?? $"https://{(context.Request.Host.HasValue ? context.Request.Host.Value : context.Connection.LocalIpAddress + ":" + context.Connection.LocalPort)}";

    private async Task WriteChallengeAsync(HttpContext context, bool stale, string description)
    {
        context.Response.Headers.WWWAuthenticate = new([.. authenticator.Challenges(stale)]);
        context.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        await WriteErrorAsync(context, Principal.Anonymous, new RdapError(401, "Unauthorized", description), "none");
    }

    private Task WriteThrottledAsync(HttpContext context, Principal reader, int seconds, string description, string method)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        return WriteErrorAsync(context, reader, new RdapError(429, "Too Many Requests", $"{description}; retry after {seconds} s"), method);
    }

    private async Task WriteErrorAsync(HttpContext context, Principal reader, RdapError error, string method)
    {
        using var writer = new RdapWriter(View(context, reader));
        writer.WriteError(error);
        await WriteAsync(context, error.Status, writer.WrittenMemory, method);
    }

    /// <summary>
    /// Writes an answer. <paramref name="cacheControl"/> is for answers that are the same for every reader and say
    /// how long they stay fresh; to an identified reader they are still private.
    /// </summary>
    private Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string method,
        string contentType = RdapWriter.MediaType, string? cacheControl = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        var identified = method is not ("anonymous" or "none");
        if (cacheControl is not null)
        {
            response.Headers.CacheControl = identified ? "private, " + cacheControl : cacheControl;
        }
        else if (identified)
        {
            // What an identified reader sees is for that reader alone: no shared cache may keep it.
            response.Headers.CacheControl = "private, no-store";
        }

        response.ContentLength = body.Length;
        signer.SignIfWanted(context, status, body.Span);
        metrics.RdapRequest(status, method);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            // Into the response body without a flush of its own: head and body leave together when the request ends.
            response.BodyWriter.Write(body.Span);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "RDAP authentication failed from {Address}")]
    private static partial void LogAuthenticationFailed(ILogger logger, IPAddress address);

    // The kind, not the target: search patterns can be user ids, which are personal data.
    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "RDAP {Kind} query failed")]
    private static partial void LogQueryFailed(ILogger logger, Exception exception, string kind);
}
