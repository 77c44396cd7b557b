using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>
/// RFC 7481 section 3.2.1 federated authentication: OAuth 2.0 / OpenID Connect bearer JWTs from configured issuers.
/// The token's (not yet trusted) <c>iss</c> picks the issuer; its keys, audiences, lifetime and algorithm rules then
/// decide. Errors are short reasons for logs and operators; the token itself is never logged.
/// </summary>
internal sealed class FederatedAuthenticator : IDisposable
{
    // Far above any real access or ID token; parsing more is work an anonymous caller should not be able to cause.
    private const int MaxTokenLength = 16 * 1024;

    private readonly Dictionary<string, FederatedIssuer> _issuers = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<FederatedAuthenticator> _logger;

    /// <param name="issuers">Options that passed <see cref="FederatedIssuerOptions.ValidateAll"/>; none disables federation.</param>
    /// <param name="time">The clock token lifetimes and key refreshes are measured by.</param>
    /// <param name="logger">Key fetches and rejections (reasons only).</param>
    public FederatedAuthenticator(IReadOnlyList<FederatedIssuerOptions> issuers, TimeProvider time, ILogger<FederatedAuthenticator> logger)
    {
        _logger = logger;
        try
        {
            foreach (var options in issuers)
            {
                var issuer = new FederatedIssuer(options, time, logger);
                if (!_issuers.TryAdd(options.Issuer, issuer))
                {
                    issuer.Dispose();
                    throw new InvalidOperationException($"federated issuer {options.Issuer} is configured twice");
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool IsEnabled => _issuers.Count > 0;

    public async ValueTask<FederatedResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !_handler.CanReadToken(token))
        {
            return Reject(null, "malformed");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or SecurityTokenMalformedException)
        {
            return Reject(null, "malformed");
        }

        if (jwt.IsEncrypted)
        {
            return Reject(null, "malformed");
        }

        // Decided before any key is looked up, so "none", HMAC (say, keyed with a public key) and the like can
        // neither pass nor make us fetch keys.
        if (!FederatedIssuer.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return Reject(null, "algorithm");
        }

        var claimedIssuer = ReadIssuer(jwt);
        if (claimedIssuer is null || !_issuers.TryGetValue(claimedIssuer, out var issuer))
        {
            // A near miss (case, trailing slash) is a misconfiguration worth naming; issuers must match exactly.
            return Reject(null, claimedIssuer is not null && IsNearMiss(claimedIssuer) ? "issuer" : "unknown issuer");
        }

        try
        {
            await issuer.Keys.GetAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return Reject(issuer, "metadata");
        }

        var result = await _handler.ValidateTokenAsync(jwt, issuer.CreateValidationParameters());
        if (!result.IsValid)
        {
            return Reject(issuer, Describe(result.Exception));
        }

        var mapped = issuer.MapPrincipal(jwt);
        return mapped.Error is { } error ? Reject(issuer, error) : mapped;
    }

    public void Dispose()
    {
        foreach (var issuer in _issuers.Values)
        {
            issuer.Dispose();
        }

        _issuers.Clear();
    }

    private FederatedResult Reject(FederatedIssuer? issuer, string reason)
    {
        FederatedLog.TokenRejected(_logger, issuer?.Name ?? "-", reason);
        return FederatedResult.Rejected(reason);
    }

    private static string? ReadIssuer(JsonWebToken jwt)
    {
        try
        {
            return jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private bool IsNearMiss(string claimed) =>
        _issuers.Keys.Any(configured => string.Equals(configured.TrimEnd('/'), claimed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The reason for a failed validation, by exception type (most specific first).</summary>
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenNoExpirationException => "no expiry",
        SecurityTokenInvalidLifetimeException => "lifetime",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenInvalidAlgorithmException => "algorithm",
        SecurityTokenSignatureKeyNotFoundException => "unknown key",
        SecurityTokenInvalidSignatureException => "signature",
        SecurityTokenInvalidTypeException => "type",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => "invalid",
    };
}
