using System.Net;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Reputation;

/// <summary>
/// When an entity is listed, for the interfaces that answer yes or no (DNSBL, blocklists, CrowdSec decisions): for
/// some negative assertion its reputon (as REPUTATION would answer it now) has at least the rating and the
/// confidence asked for, and neither the entity nor, for an address, any prefix covering it is allowlisted.
/// An address is judged with the reports on itself and on every prefix covering it, combined per assertion: it is
/// listed for an assertion when it or any covering prefix is, and the most specific row that lists it is the one
/// named (docs/consumers.md, "Ranges").
/// </summary>
public sealed class ReputationListing(ReputationTable table, ReputationService reputation, TimeProvider time)
{
    public ReputationTable Table => table;

    /// <summary>The assertions <paramref name="type"/>/<paramref name="key"/> is listed for; empty when it is not listed.</summary>
    public IReadOnlyList<Listing> Judge(EntityType type, string key, ListingThresholds thresholds)
    {
        var asOf = reputation.AsOf(time.GetUtcNow());
        if (type == EntityType.Ip)
        {
            return Combined(key, thresholds, asOf);
        }

        var single = table.Find(type, key);
        return single is null || single.Reputation.Allowlisted is not null ? [] : Own(single.Reputation, thresholds, asOf);
    }

    /// <summary>
    /// What an address or prefix is listed for with the prefixes covering it: per assertion the most specific row
    /// that lists it; nothing when it or a covering prefix is allowlisted.
    /// </summary>
    public IReadOnlyList<Listing> Combined(string ipKey, ListingThresholds thresholds, DateTimeOffset asOf)
    {
        var (address, length) = ReputationTable.Network(ipKey);
        return Combined(address, length, thresholds, asOf);
    }

    /// <summary>What the address is listed for, as <see cref="Combined(string, ListingThresholds, DateTimeOffset)"/> (the DNSBL's way in: no text to parse).</summary>
    public IReadOnlyList<Listing> Judge(IPAddress address, ListingThresholds thresholds) =>
        Combined(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128, thresholds, reputation.AsOf(time.GetUtcNow()));

    private IReadOnlyList<Listing> Combined(IPAddress address, int length, ListingThresholds thresholds, DateTimeOffset asOf)
    {
        List<Listing>? found = null;
        foreach (var row in table.Covering(address, length))
        {
            if (row.Reputation.Allowlisted is not null)
            {
                return [];
            }

            foreach (var listing in Own(row.Reputation, thresholds, asOf))
            {
                found ??= [];
                if (!found.Exists(l => l.Assertion == listing.Assertion))
                {
                    found.Add(listing);
                }
            }
        }

        return found ?? (IReadOnlyList<Listing>)[];
    }

    /// <summary>The time listings are judged as of, now (the start of the current minute, as reputons are).</summary>
    public DateTimeOffset AsOf() => reputation.AsOf(time.GetUtcNow());

    /// <summary>
    /// Every row listed on its own reports, each once (a prefix as a prefix), leaving out those allowlisted or under
    /// an allowlisted prefix; and separately the allowlisted addresses and prefixes that lie inside a listed prefix
    /// (<see cref="ListedRow.Excepted"/>), which formats that can say so (rbldnsd) carry as exceptions.
    /// </summary>
    public IEnumerable<ListedRow> All(ListingThresholds thresholds, DateTimeOffset asOf, EntityType? type = null)
    {
        foreach (var row in table.Rows)
        {
            var entity = row.Reputation;
            if (type is { } only && entity.Type != only)
            {
                continue;
            }

            if (entity.Allowlisted is not null)
            {
                if (entity.Type == EntityType.Ip && UnderListedPrefix(entity, thresholds, asOf))
                {
                    yield return new ListedRow(row, [], Excepted: true);
                }

                continue;
            }

            var listings = Own(entity, thresholds, asOf);
            if (listings.Count > 0 && !(entity.Type == EntityType.Ip && UnderAllowlist(entity)))
            {
                yield return new ListedRow(row, listings, Excepted: false);
            }
        }
    }

    /// <summary>The row's own listings, without covering prefixes or its allowlist entry.</summary>
    private List<Listing> Own(EntityReputation entity, ListingThresholds thresholds, DateTimeOffset asOf)
    {
        List<Listing>? found = null;
        foreach (var (assertion, aggregate) in entity.Assertions)
        {
            if (aggregate.Count <= 0 || reputation.Assertions.IsPositive(assertion) || (thresholds.Assertions is { } wanted && !wanted.Contains(assertion)))
            {
                continue;
            }

            var (rating, confidence) = reputation.Score(assertion, aggregate, allowlisted: false, asOf);
            if (rating >= thresholds.MinRating && confidence >= thresholds.MinConfidence)
            {
                (found ??= []).Add(new Listing(assertion, rating, confidence, entity));
            }
        }

        found?.Sort((a, b) => string.CompareOrdinal(a.Assertion, b.Assertion));
        return found ?? [];
    }

    private bool UnderAllowlist(EntityReputation entity) => table.Above(entity.Key).Any(r => r.Reputation.Allowlisted is not null);

    private bool UnderListedPrefix(EntityReputation entity, ListingThresholds thresholds, DateTimeOffset asOf) =>
        table.Above(entity.Key).Any(r => r.Reputation.Allowlisted is null && Own(r.Reputation, thresholds, asOf).Count > 0);
}

/// <summary>What lists an entity: at least this rating and this confidence, for these assertions (null: every negative one).</summary>
public sealed record ListingThresholds(double MinRating, double MinConfidence, IReadOnlySet<string>? Assertions = null);

/// <summary>One assertion an entity is listed for, with the reputon's numbers and the row (the entity or a covering prefix) that lists it.</summary>
public sealed record Listing(string Assertion, double Rating, double Confidence, EntityReputation Source);

/// <summary>A row of <see cref="ReputationListing.All"/>: listed for <see cref="Listings"/>, or an allowlisted exception inside a listed prefix.</summary>
public sealed record ListedRow(ReputationChange Row, IReadOnlyList<Listing> Listings, bool Excepted)
{
    public EntityReputation Entity => Row.Reputation;
}
