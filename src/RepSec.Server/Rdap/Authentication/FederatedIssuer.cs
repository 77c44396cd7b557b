using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RepSec.Core.Security;

namespace RepSec.Server.Rdap.Authentication;

/// <summary>A configured issuer at run time: its keys, the rules its tokens are held to, and how their claims become a principal.</summary>
internal sealed class FederatedIssuer : IDisposable
{
    /// <summary>Asymmetric signatures only: never <c>none</c>, never HMAC (whose secret a verifier would have to hold).</summary>
    public static readonly IReadOnlyList<string> Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    // OpenID Connect caps sub at 255 ASCII characters.
    private const int MaxSubjectLength = 255;

    private readonly FederatedIssuerOptions _options;
    private readonly X509Certificate2Collection? _trustedCas;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly string _prefix;
    private readonly Role _defaultRole;

    /// <exception cref="InvalidOperationException">The options do not pass <see cref="FederatedIssuerOptions.Validate"/>.</exception>
    public FederatedIssuer(FederatedIssuerOptions options, TimeProvider time, ILogger logger)
    {
        if (!options.TryParseDefaultRole(out _defaultRole))
        {
            throw new InvalidOperationException($"federated issuer {options.Name}: DefaultRole must be registrant, auditor, admin or none");
        }

        if (options.CaCertificate is not null)
        {
            _trustedCas = FederatedIssuerOptions.LoadCaCertificates(options.CaCertificate, out var problem)
                ?? throw new InvalidOperationException($"federated issuer {options.Name}: CaCertificate {options.CaCertificate}: {problem}");
        }

        _options = options;
        _time = time;
        _prefix = options.ResolvePrincipalPrefix();
        _http = FederatedHttp.Create(_trustedCas);
        Keys = new FederatedKeySource(options, _http, time, logger);
    }

    public string Name => _options.Name;

    public FederatedKeySource Keys { get; }

    /// <summary>New for every validation: the token handler writes to the parameters it is given.</summary>
    public TokenValidationParameters CreateValidationParameters() => new()
    {
        ConfigurationManager = Keys,
        ValidIssuer = _options.Issuer,
        ValidateIssuer = true,
        ValidAudiences = _options.Audiences,
        ValidateAudience = true,
        RequireAudience = true,
        IgnoreTrailingSlashWhenValidatingAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(_options.ClockSkewSeconds),
        // IdentityModel 8.16 keeps its own clock internal; lifetimes are checked here against the injected one.
        LifetimeValidator = ValidateLifetime,
        RequireSignedTokens = true,
        ValidAlgorithms = Algorithms,
        TypeValidator = ValidateType,
        ValidateTokenReplay = false,
        SaveSigninToken = false,
        NameClaimType = _options.PrincipalClaim,
        RoleClaimType = _options.RoleClaim,
    };

    /// <summary>The principal a validated token speaks for, or why it speaks for none.</summary>
    public FederatedResult MapPrincipal(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<string>(_options.PrincipalClaim, out var subject) || !IsAcceptableSubject(subject))
        {
            return FederatedResult.Rejected("principal");
        }

        var name = _prefix + subject;
        if (_prefix.Length == 0 && !Principal.IsValidName(name))
        {
            // Mapped onto local principals, the name must be one a local principal could have (and not "anonymous").
            return FederatedResult.Rejected("principal");
        }

        var role = HighestRole(token);
        if (role == Role.None)
        {
            role = _defaultRole;
        }

        return role == Role.None ? FederatedResult.Rejected("role") : FederatedResult.Accepted(new Principal(name, role));
    }

    public void Dispose()
    {
        Keys.Dispose();
        _http.Dispose();
        foreach (var certificate in _trustedCas ?? [])
        {
            certificate.Dispose();
        }
    }

    private Role HighestRole(JsonWebToken token)
    {
        var highest = Role.None;
        // Claims lists an array claim as one claim per element; a string value may hold space-separated roles.
        foreach (var claim in token.Claims)
        {
            if (!string.Equals(claim.Type, _options.RoleClaim, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Roles.TryParse(value, out var role) && role > highest)
                {
                    highest = role;
                }
            }
        }

        return highest;
    }

    private static bool IsAcceptableSubject(string? subject) =>
        subject is { Length: > 0 and <= MaxSubjectLength } && subject.All(c => c is > ' ' and <= '~');

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("the token has no exp claim");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (notBefore > expires)
        {
            throw new SecurityTokenInvalidLifetimeException("nbf is after exp") { NotBefore = notBefore, Expires = expires };
        }

        if (notBefore > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("the token is not valid yet") { NotBefore = notBefore.Value };
        }

        // RFC 7519 section 4.1.4: the token must not be accepted on or after exp.
        if (expires.Value <= now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("the token has expired") { Expires = expires.Value };
        }

        return true;
    }

    private static string ValidateType(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        // typ is optional (RFC 7519 section 5.1); when present it must say a JWT or a JWT access token (RFC 9068),
        // so that logout tokens, security event tokens and the like are not taken for access tokens.
        if (string.IsNullOrEmpty(type) ||
            string.Equals(type, "JWT", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(type, "at+jwt", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(type, "application/at+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return type ?? "";
        }

        throw new SecurityTokenInvalidTypeException("the token type is not JWT or at+jwt") { InvalidType = type };
    }
}
