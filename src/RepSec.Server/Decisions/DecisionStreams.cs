using System.Collections.Concurrent;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;

namespace RepSec.Server.Decisions;

/// <summary>
/// What each API key's bouncer holds, so that each poll of <c>/v1/decisions/stream</c> answers what changed for it:
/// <c>new</c> the bans it does not hold yet (and those it holds that would lapse within half their duration, renewed),
/// <c>deleted</c> those it holds that are no longer listed (withdrawn, allowlisted, aged out). <c>startup=true</c>
/// starts over: every current ban is new. Positions are kept in this process, per API key (token id).
/// </summary>
internal sealed class DecisionStreams(ReputationListing listing, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Position> _positions = new(StringComparer.Ordinal);
    private long _nextId;

    /// <summary>The bans in force now (addresses and prefixes), by value.</summary>
    public Dictionary<string, Ban> Current(ListingThresholds thresholds, IReadOnlySet<string>? scopes)
    {
        var current = new Dictionary<string, Ban>(StringComparer.Ordinal);
        foreach (var row in listing.All(thresholds, listing.AsOf(), EntityType.Ip))
        {
            if (row.Excepted)
            {
                continue;
            }

            var scope = row.Entity.Key.Contains('/', StringComparison.Ordinal) ? Decision.RangeScope : Decision.IpScope;
            if (scopes is null || scopes.Contains(scope.ToLowerInvariant()))
            {
                current[row.Entity.Value] = new Ban(scope, Decision.ScenarioOf(row.Listings));
            }
        }

        return current;
    }

    /// <summary>The next page of <paramref name="key"/>'s stream; <paramref name="ttl"/> is each ban's duration.</summary>
    public (List<Decision> New, List<Decision> Deleted) Poll(string key, bool startup, ListingThresholds thresholds, IReadOnlySet<string>? scopes, TimeSpan ttl)
    {
        var position = _positions.GetOrAdd(key, _ => new Position());
        lock (position)
        {
            var now = time.GetUtcNow();
            if (startup)
            {
                position.Held.Clear();
            }

            var current = Current(thresholds, scopes);
            var added = new List<Decision>();
            foreach (var (value, ban) in current)
            {
                if (position.Held.TryGetValue(value, out var held) && held.Until - now > ttl / 2 && held.Scenario == ban.Scenario)
                {
                    continue;
                }

                var sent = new Held(Interlocked.Increment(ref _nextId), ban.Scope, ban.Scenario, now + ttl);
                position.Held[value] = sent;
                added.Add(new Decision(sent.Id, sent.Scope, value, sent.Scenario, sent.Until - now, sent.Until));
            }

            var deleted = new List<Decision>();
            foreach (var (value, held) in position.Held)
            {
                if (!current.ContainsKey(value))
                {
                    deleted.Add(new Decision(held.Id, held.Scope, value, held.Scenario, TimeSpan.Zero, now));
                }
            }

            foreach (var gone in deleted)
            {
                position.Held.Remove(gone.Value);
            }

            return (added, deleted);
        }
    }

    public readonly record struct Ban(string Scope, string Scenario);

    private sealed class Position
    {
        public Dictionary<string, Held> Held { get; } = new(StringComparer.Ordinal);
    }

    private readonly record struct Held(long Id, string Scope, string Scenario, DateTimeOffset Until);
}

/// <summary>One CrowdSec decision as the Local API writes it.</summary>
internal sealed record Decision(long Id, string Scope, string Value, string Scenario, TimeSpan Duration, DateTimeOffset Until)
{
    public const string IpScope = "Ip";
    public const string RangeScope = "Range";

    /// <summary>The scenario a ban names: <c>repsec/</c> and the assertions it is listed for.</summary>
    public static string ScenarioOf(IEnumerable<Listing> listings) => "repsec/" + string.Join(',', listings.Select(l => l.Assertion).Distinct().Order(StringComparer.Ordinal));

    public void Write(System.Text.Json.Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("id", Id);
        json.WriteString("origin", "repsec");
        json.WriteString("type", "ban");
        json.WriteString("scope", Scope);
        json.WriteString("value", Value);
        // Go's time.ParseDuration form, as the Local API writes it.
        json.WriteString("duration", FormattableString.Invariant($"{(long)Duration.TotalHours}h{Duration.Minutes}m{Duration.Seconds}s"));
        json.WriteString("until", Until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("scenario", Scenario);
        json.WriteBoolean("simulated", false);
        json.WriteEndObject();
    }
}
