namespace RepSec.Core;

/// <summary>Protocol behaviour, bound from the <c>RepSec</c> configuration section and validated at start.</summary>
public sealed record RepSecOptions
{
    public const string Section = "RepSec";

    /// <summary>Bytes per request line, without the terminator (advertised by HELLO).</summary>
    public int MaxLineBytes { get; init; } = 65_536;

    /// <summary>JSON container depth; the request object is depth 1 (advertised by HELLO).</summary>
    public int MaxJsonDepth { get; init; } = 32;

    /// <summary>Accepted clock difference for <c>timestamp</c>, either way (advertised by HELLO).</summary>
    public int ReplayWindowSeconds { get; init; } = 300;

    /// <summary>
    /// Live nonces remembered at most (about 16-34 bytes each, held only while in use); beyond that writes are refused
    /// with 429 rather than weakening replay protection. One principal may hold half: at the default, 16 million, a
    /// sustained 50,000 writes a second with timestamps near the server's clock.
    /// </summary>
    public int NonceCapacity { get; init; } = DefaultNonceCapacity;

    public const int DefaultNonceCapacity = 32_000_000;

    /// <summary>Operator policy: whether REGISTER works without authentication. Off by default.</summary>
    public bool AllowAnonymousRegister { get; init; }

    /// <summary>Whether HELLO names the server software and version. Off by default (no unnecessary metadata).</summary>
    public bool ExposeServerVersion { get; init; }

    public RateLimitOptions RateLimits { get; init; } = new();

    public LogOptions Log { get; init; } = new();

    public Reputation.ReputationOptions Reputation { get; init; } = new();

    public IEnumerable<string> Validate()
    {
        if (MaxLineBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return "RepSec:MaxLineBytes must be 1024-16777216";
        }

        if (MaxJsonDepth is < 2 or > 256)
        {
            yield return "RepSec:MaxJsonDepth must be 2-256";
        }

        if (ReplayWindowSeconds is < 1 or > 86_400)
        {
            yield return "RepSec:ReplayWindowSeconds must be 1-86400";
        }

        if (NonceCapacity < 1)
        {
            yield return "RepSec:NonceCapacity must be positive";
        }

        foreach (var error in RateLimits.Validate().Concat(Log.Validate()).Concat(Reputation.Validate()))
        {
            yield return error;
        }
    }
}

/// <summary>Token-bucket limits; 0 requests per second turns a limit off.</summary>
public sealed record RateLimitOptions
{
    /// <summary>Requests per second from one IP address, any command.</summary>
    public int PerAddressPerSecond { get; init; } = 1_000;

    public int PerAddressBurst { get; init; } = 2_000;

    /// <summary>Requests per second by one authenticated principal, summed over its connections.</summary>
    public int PerPrincipalPerSecond { get; init; } = 1_000;

    public int PerPrincipalBurst { get; init; } = 2_000;

    /// <summary>Failed authentications allowed from one address per minute before it is throttled.</summary>
    public int AuthFailuresPerMinute { get; init; } = 10;

    public IEnumerable<string> Validate()
    {
        if (PerAddressPerSecond < 0 || PerAddressBurst < 1 || PerPrincipalPerSecond < 0 || PerPrincipalBurst < 1 || AuthFailuresPerMinute < 1)
        {
            yield return "RepSec:RateLimits values must be positive (a rate of 0 turns that limit off)";
        }
    }
}

/// <summary>The transparency log, bound from <c>RepSec:Log</c>.</summary>
public sealed record LogOptions
{
    /// <summary>The checkpoint origin; by default <c>repsec/</c> and 16 hex digits of the log key's hash.</summary>
    public string? Origin { get; init; }

    /// <summary>Days after which an entry's personal data is purged (its leaf stays); 0 keeps everything.</summary>
    public int RetentionDays { get; init; } = 365;

    public int PurgeIntervalMinutes { get; init; } = 60;

    public IEnumerable<string> Validate()
    {
        if (Origin is not null && (Origin.Length is 0 or > 256 || Origin.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c))))
        {
            yield return "RepSec:Log:Origin must be 1-256 characters without spaces or '+'";
        }

        if (RetentionDays is < 0 or > 36_500 || PurgeIntervalMinutes is < 1 or > 10_080)
        {
            yield return "RepSec:Log:RetentionDays must be 0-36500 and PurgeIntervalMinutes 1-10080";
        }
    }
}
