using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RepSec.Core;
using RepSec.Core.Limits;
using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;
using RepSec.Server.Rdap;
using RepSec.Server.Rdap.Responses;

namespace RepSec.Server.Decisions;

/// <summary>
/// The part of CrowdSec's Local API that bouncers read, on the RDAP listener, so that stock bouncers work unchanged
/// against repsecd (docs/consumers.md, "CrowdSec bouncers"):
/// <list type="bullet">
/// <item><c>GET /v1/decisions/stream?startup=true|false[&amp;scopes=ip,range]</c>: <c>{"new": [...], "deleted": [...]}</c>
/// since this API key's last poll (<see cref="DecisionStreams"/>).</item>
/// <item><c>GET /v1/decisions?ip=A</c> (or <c>range=P</c>): the bans that apply to it, or <c>null</c>.</item>
/// </list>
/// A listed address is a <c>ban</c> of scope <c>Ip</c>, a listed prefix one of scope <c>Range</c>; a ban lasts as
/// long as the reputon it comes from (<c>RepSec:Reputation:ReputonTtlSeconds</c>) and the stream renews it while the
/// entity stays listed. The API key (<c>X-Api-Key</c>) is a RepSec token of any role; a missing or unknown key is
/// 403 as in the Local API, and counts toward the address's authentication-failure throttle.
/// </summary>
internal sealed class DecisionsEndpoint(
    IAuthenticator authenticator,
    RequestLimiter failureThrottle,
    RdapRateLimiter rateLimiter,
    ReputationListing listing,
    DecisionStreams streams,
    DecisionsOptions options,
    IOptions<RepSecOptions> protocol,
    TimeProvider time,
    RepSecMetrics metrics)
{
    public const string Prefix = "/v1/decisions";

    public bool Enabled => options.Enabled && protocol.Value.Reputation.Enabled;

    public static bool Serves(string target) =>
        target.StartsWith(Prefix, StringComparison.Ordinal) && (target.Length == Prefix.Length || target[Prefix.Length] is '?' or '/');

    /// <summary>The answer's status and JSON body; a 429's wait in <paramref name="context"/>'s Retry-After.</summary>
    public async Task<(int Status, ReadOnlyMemory<byte> Body)> AnswerAsync(HttpContext context, string target)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var cancellationToken = context.RequestAborted;
        if (await failureThrottle.AuthenticationThrottledAsync(address, cancellationToken) is { } throttled)
        {
            metrics.RateLimited("decisions_auth");
            context.Response.Headers.RetryAfter = throttled.ToString(CultureInfo.InvariantCulture);
            return Message(429, "too many failed authentications from this address");
        }

        var key = context.Request.Headers["X-Api-Key"];
        var principal = key.Count == 1 && key[0] is { Length: > 0 } presented ? await authenticator.AuthenticateTokenAsync(presented, cancellationToken) : null;
        if (principal is null)
        {
            await failureThrottle.RecordAuthenticationFailureAsync(address, cancellationToken);
            metrics.AuthFailure();
            return Message(403, "access forbidden");
        }

        if (await rateLimiter.TryAcquireAsync(principal, address, cancellationToken) is { } retryAfter)
        {
            metrics.RateLimited("decisions");
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Message(429, "request rate limit exceeded");
        }

        if (!listing.Table.Loaded)
        {
            context.Response.Headers.RetryAfter = "1";
            return Message(503, "the reputation table is still loading; retry in a second");
        }

        var (path, parameters) = JsonAnswer.Split(target);
        string? One(string name) => parameters.TryGetValue(name, out var values) ? values[^1] : null;
        var thresholds = new ListingThresholds(options.MinRating, options.MinConfidence);
        var ttl = TimeSpan.FromSeconds(protocol.Value.Reputation.ReputonTtlSeconds);
        switch (path)
        {
            case Prefix + "/stream":
                if (One("startup") is { } startupText && startupText is not ("true" or "false"))
                {
                    return Message(400, "startup is true or false");
                }

                if (!TryScopes(One("scopes"), out var scopes))
                {
                    return Message(400, "scopes are ip and range, separated by commas");
                }

                BearerToken.TryParse(key[0], out var tokenId, out _);
                var (added, deleted) = streams.Poll(tokenId.ToString(), One("startup") == "true", thresholds, scopes, ttl);
                return Write(json =>
                {
                    json.WriteStartObject();
                    WriteArray(json, "new", added);
                    WriteArray(json, "deleted", deleted);
                    json.WriteEndObject();
                });
            case Prefix:
                return Lookup(One("ip") ?? (One("scope") is { } scope && scope.Equals("ip", StringComparison.OrdinalIgnoreCase) ? One("value") : null),
                    One("range") ?? (One("scope") is { } rangeScope && rangeScope.Equals("range", StringComparison.OrdinalIgnoreCase) ? One("value") : null),
                    thresholds, ttl);
            default:
                return Message(404, "no such resource: /v1/decisions and /v1/decisions/stream are served");
        }
    }

    /// <summary>The bans that apply to an address (its own and its covering prefixes') or a prefix; <c>null</c> for none, as the Local API answers.</summary>
    private (int, ReadOnlyMemory<byte>) Lookup(string? ip, string? range, ListingThresholds thresholds, TimeSpan ttl)
    {
        var text = ip ?? range;
        if (text is null)
        {
            return Message(400, "give ip=ADDRESS or range=PREFIX");
        }

        if (!EntityCanonicalizer.TryCanonicalize(EntityType.Ip, text, out var entity, out _) || (ip is not null && entity.Key.Contains('/', StringComparison.Ordinal)))
        {
            return Message(400, $"'{text}' is not a valid {(ip is not null ? "IP address" : "IP prefix")}");
        }

        var now = time.GetUtcNow();
        var bySource = listing.Combined(entity.Key, thresholds, listing.AsOf()).GroupBy(l => l.Source.Key).ToList();
        return Write(json =>
        {
            if (bySource.Count == 0)
            {
                json.WriteNullValue();
                return;
            }

            json.WriteStartArray();
            var id = 0;
            foreach (var group in bySource)
            {
                var source = group.First().Source;
                new Decision(++id, source.Key.Contains('/', StringComparison.Ordinal) ? Decision.RangeScope : Decision.IpScope, source.Value,
                    Decision.ScenarioOf(group), ttl, now + ttl).Write(json);
            }

            json.WriteEndArray();
        });
    }

    private static bool TryScopes(string? text, out IReadOnlySet<string>? scopes)
    {
        scopes = null;
        if (text is null)
        {
            return true;
        }

        var set = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        scopes = set;
        return set.All(s => s is "ip" or "range");
    }

    private static void WriteArray(Utf8JsonWriter json, string name, List<Decision> decisions)
    {
        json.WriteStartArray(name);
        foreach (var decision in decisions)
        {
            decision.Write(json);
        }

        json.WriteEndArray();
    }

    // Errors as the Local API writes them.
    private static (int, ReadOnlyMemory<byte>) Message(int status, string message) =>
        (status, Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteEndObject();
        }).Item2);

    private static (int, ReadOnlyMemory<byte>) Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return (200, buffer.WrittenMemory);
    }
}
