using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RepSec.Core.Commands;
using RepSec.Core.Limits;
using RepSec.Core.Registry;
using RepSec.Core.Replay;
using RepSec.Core.Security;
using RepSec.Protocol;
using RepSec.Protocol.Parsing;

namespace RepSec.Core.Dispatch;

/// <summary>
/// Runs one request through the profile's fixed order: parse (400) → authenticate (401) → timestamp window
/// (401) → nonce (409) → authorize (403) → execute; rate limits (429) apply first. Writes exactly one response
/// line per request.
/// </summary>
public sealed partial class RequestDispatcher(
    CommandTable commands,
    IAuthenticator authenticator,
    INonceStore nonces,
    RequestLimiter limiter,
    RegistryVersion version,
    RepSecMetrics metrics,
    IOptions<RepSecOptions> options,
    TimeProvider time,
    ILogger<RequestDispatcher> logger)
{
    private readonly ParserLimits _limits = new() { MaxLineBytes = options.Value.MaxLineBytes, MaxJsonDepth = options.Value.MaxJsonDepth };
    private static readonly TimeSpan NonceMargin = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.ReplayWindowSeconds);

    public ParserLimits Limits => _limits;

    /// <summary>Synchronous first stage: parses the line and binds the command's parameters.</summary>
    public ProtocolError? Parse(CommandContext context, ReadOnlySpan<byte> line)
    {
        context.Begin(TruncateToMilliseconds(time.GetUtcNow()));
        try
        {
            return ParseAndBind(context, line);
        }
        catch (Exception exception)
        {
            // A parser or binder bug answers 500 for this line; the connection and its later requests live on.
            LogCommandFailed(context.Command?.Name ?? "?", exception);
            return new ProtocolError(StatusCodes.ServerError, ErrorCodes.InternalError, "Internal server error");
        }
    }

    private ProtocolError? ParseAndBind(CommandContext context, ReadOnlySpan<byte> line)
    {
        var error = RequestParser.Parse(line, context.Request, _limits);
        if (error is not null)
        {
            return error;
        }

        var request = context.Request;
        if (!request.HasCommand)
        {
            return ProtocolError.BadRequest(ErrorCodes.MissingParameter, "command is required");
        }

        if (!commands.TryGet(request.Command, out var command))
        {
            return ProtocolError.BadRequest(ErrorCodes.UnknownCommand, "Unknown command; HELLO lists the commands this server accepts");
        }

        context.Command = command;
        if ((request.Nonce is null) != (request.Timestamp is null) || (command.Policy.Writes && request.Nonce is null))
        {
            return ProtocolError.BadRequest(ErrorCodes.MissingParameter,
                command.Policy.Writes ? $"{command.Name} requires nonce and timestamp" : "nonce and timestamp must be sent together");
        }

        return command.Validate(context);
    }

    /// <summary>Second stage: the checks that need state, then the command; writes the response line.</summary>
    public async ValueTask RunAsync(CommandContext context, ProtocolError? parseError, CancellationToken cancellationToken)
    {
        ProtocolError? error;
        try
        {
            error = await LimitAddressAsync(context, cancellationToken) ?? parseError
                ?? await AuthenticateAsync(context, cancellationToken)
                ?? await LimitPrincipalAsync(context, cancellationToken)
                ?? await CheckFreshnessAsync(context, cancellationToken)
                ?? Authorize(context)
                ?? await context.Command!.ExecuteAsync(context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing of the failure reaches the client: no message, no type, no path.
            LogCommandFailed(context.Command?.Name ?? "?", exception);
            context.Response.Reset(context.ResponseOutput!);
            error = new ProtocolError(StatusCodes.ServerError, ErrorCodes.InternalError, "Internal server error");
        }

        if (error is null)
        {
            if (context.Command!.Policy.Writes)
            {
                // Committed: views derived from the registry (the RDAP answer cache) are stale now.
                version.Advance();
            }

            context.Response.End();
            metrics.Request(StatusCodes.Ok);
            return;
        }

        context.Response.WriteError(error, context.Request.RawId, context.Now);
        metrics.Request(error.Status);
    }

    private async ValueTask<ProtocolError?> LimitAddressAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (await limiter.TryAcquireForAddressAsync(context.RemoteAddress, cancellationToken) is not { } retryAfter)
        {
            return null;
        }

        metrics.RateLimited("address");
        return RateLimited(retryAfter, "Too many requests from this address");
    }

    private async ValueTask<ProtocolError?> LimitPrincipalAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Principal.IsAnonymous || await limiter.TryAcquireForPrincipalAsync(context.Principal.Name, cancellationToken) is not { } retryAfter)
        {
            return null;
        }

        metrics.RateLimited("principal");
        return RateLimited(retryAfter, "Too many requests for this principal");
    }

    private async ValueTask<ProtocolError?> AuthenticateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var token = context.Request.Auth;
        Principal? principal = null;
        if (token is not null)
        {
            if (await limiter.AuthenticationThrottledAsync(context.RemoteAddress, cancellationToken) is { } retryAfter)
            {
                metrics.RateLimited("auth_failures");
                return RateLimited(retryAfter, "Too many failed authentications from this address", ErrorCodes.AuthThrottled);
            }

            principal = await authenticator.AuthenticateTokenAsync(token, cancellationToken);
            if (principal is null)
            {
                await limiter.RecordAuthenticationFailureAsync(context.RemoteAddress, cancellationToken);
                metrics.AuthFailure();
                LogAuthenticationFailed(context.RemoteAddress.ToString(), context.Command!.Name);
                return new ProtocolError(StatusCodes.Unauthorized, ErrorCodes.AuthFailed, "Authentication failed");
            }
        }
        else if (context.ClientCertificate is { } certificate)
        {
            principal = await authenticator.AuthenticateCertificateAsync(certificate, cancellationToken);
        }

        context.Principal = principal ?? Principal.Anonymous;
        if (context.Principal.IsAnonymous && !context.Command!.Policy.AllowsAnonymous)
        {
            return new ProtocolError(StatusCodes.Unauthorized, ErrorCodes.AuthRequired, $"{context.Command.Name} requires authentication");
        }

        return null;
    }

    private async ValueTask<ProtocolError?> CheckFreshnessAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Timestamp is not { } timestamp)
        {
            return null;
        }

        if ((context.Now - timestamp).Duration() > _window)
        {
            return new ProtocolError(StatusCodes.Unauthorized, ErrorCodes.StaleTimestamp,
                $"timestamp is outside the replay window of {(int)_window.TotalSeconds} seconds") { IncludeServerTime = true };
        }

        // Remembered a second beyond the last moment this timestamp is accepted, so no clock rounding between
        // this check and the store reopens the edge of the window. Anonymous clients get one scope per address.
        var scope = context.Principal.IsAnonymous
            ? string.Concat(MemoryNonceStore.AnonymousScopePrefix, context.RemoteAddress.ToString())
            : context.Principal.Name;
        var outcome = await nonces.TryUseAsync(scope, request.Nonce!, timestamp + _window + NonceMargin, cancellationToken);
        return outcome switch
        {
            NonceOutcome.Fresh => null,
            NonceOutcome.Replayed => new ProtocolError(StatusCodes.Conflict, ErrorCodes.ReplayedNonce, "nonce was already used"),
            _ => RateLimited(1, "Too many live nonces for this client; retry shortly"),
        };
    }

    private static ProtocolError? Authorize(CommandContext context) =>
        context.Command!.Policy.Permits(context.Principal.Role)
            ? null
            : new ProtocolError(StatusCodes.Forbidden, ErrorCodes.Forbidden,
                $"Role {context.Principal.Role.ToWire()} may not {context.Command.Name}");

    private static ProtocolError RateLimited(int retryAfter, string message, string code = ErrorCodes.RateLimited) =>
        new(StatusCodes.TooManyRequests, code, message) { RetryAfterSeconds = retryAfter };

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Authentication failed from {Address} for {Command}")]
    private partial void LogAuthenticationFailed(string address, string command);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "{Command} failed; answered 500")]
    private partial void LogCommandFailed(string command, Exception exception);
}
