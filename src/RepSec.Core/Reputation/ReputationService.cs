using Microsoft.Extensions.Options;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Reputation;

/// <summary>
/// Turns stored aggregates into reputons (docs/reputation.md, "Aggregation"): the weighted mean rating, a
/// confidence that grows with the total current weight, the assertion's normal rating, and the allowlist's
/// override. Values are computed as of the current minute and rounded to three decimals (as RFC 7071 asks), so every interface
/// answers the same numbers for the same data within that minute.
/// </summary>
public sealed class ReputationService(
    IReputationStore store, ReputationAssertions assertions, IOptions<RepSecOptions> options, TransparencyLog log, TimeProvider time)
{
    private readonly ReputationOptions _options = options.Value.Reputation;
    private IReadOnlyDictionary<string, ReputationAggregate>? _norms;
    private long _normsUntil;

    public IReputationStore Store => store;

    public ReputationAssertions Assertions => assertions;

    public ReputationOptions Options => _options;

    /// <summary>The RFC 7071 rater: the configured name, or else the transparency log's origin.</summary>
    public string Rater => _options.Rater ?? log.Key.Origin;

    /// <summary>
    /// A page of the change feed after sequence <paramref name="after"/>: at most <paramref name="limit"/> changes,
    /// oldest first, each with the reputation it shows now, the sequence to resume after, and whether more follow.
    /// CHANGES and the console's operator view read the feed through this.
    /// </summary>
    public async ValueTask<ChangesPage> ChangesAsync(long after, int limit, CancellationToken cancellationToken)
    {
        var changes = await store.GetChangesAsync(after, limit + 1, cancellationToken);
        var more = changes.Count > limit;
        var page = more ? changes.Take(limit).ToList() : changes;
        var views = new List<(ReputationChange Change, ReputationView View)>(page.Count);
        foreach (var change in page)
        {
            views.Add((change, await ViewAsync(change.Reputation, cancellationToken)));
        }

        return new ChangesPage(views, page.Count > 0 ? page[^1].Sequence : after, more);
    }

    /// <summary>The entity's reputons (empty when nothing counts) and allowlist entry.</summary>
    public async ValueTask<ReputationView> ViewAsync(CanonicalEntity entity, CancellationToken cancellationToken)
    {
        var reputation = await store.GetAsync(entity, cancellationToken);
        return await ViewAsync(reputation, cancellationToken);
    }

    public async ValueTask<ReputationView> ViewAsync(EntityReputation reputation, CancellationToken cancellationToken)
    {
        var norms = await NormsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var asOf = AsOf(now);
        var generated = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = generated.AddSeconds(_options.ReputonTtlSeconds);
        var reputons = new List<Reputon>(reputation.Assertions.Count);
        foreach (var (assertion, aggregate) in reputation.Assertions.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (aggregate.Count <= 0)
            {
                continue;
            }

            var (rating, confidence) = Score(assertion, aggregate, reputation.Allowlisted is not null, asOf);
            var norm = norms.TryGetValue(assertion, out var n) ? n.Rating : 0;
            reputons.Add(new Reputon(Rater, assertion, reputation.Value, rating, confidence, Round(norm), aggregate.Count, generated, expires, reputation.Allowlisted is not null));
        }

        return new ReputationView(reputation, reputons);
    }

    /// <summary>The time reputons are computed as of: the start of the current minute.</summary>
    public DateTimeOffset AsOf(DateTimeOffset now) => new(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>
    /// The rating and confidence a reputon of <paramref name="assertion"/> carries, as of <paramref name="asOf"/>
    /// (<see cref="AsOf"/>), rounded as answered: the one computation behind every interface's numbers.
    /// </summary>
    public (double Rating, double Confidence) Score(string assertion, ReputationAggregate aggregate, bool allowlisted, DateTimeOffset asOf)
    {
        if (allowlisted)
        {
            // The operator's judgement outranks the reports: a negative assertion does not hold, a positive one does.
            return (assertions.IsPositive(assertion) ? 1 : 0, 1);
        }

        // Never decayed backwards: a report newer than the current minute counts at its full weight.
        var weight = aggregate.WeightAt(asOf > aggregate.At ? asOf : aggregate.At, _options.HalfLifeDays);
        return (Round(aggregate.Rating), Round(weight / (weight + _options.ConfidenceScale)));
    }

    /// <summary>The assertions' norms, read at most once a second (they move slowly and every answer needs them).</summary>
    private async ValueTask<IReadOnlyDictionary<string, ReputationAggregate>> NormsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_norms is { } cached && now < Volatile.Read(ref _normsUntil))
        {
            return cached;
        }

        var norms = await store.GetNormsAsync(cancellationToken);
        _norms = norms;
        Volatile.Write(ref _normsUntil, now + time.TimestampFrequency);
        return norms;
    }

    // RFC 7071: ratings SHOULD NOT carry more than three decimal places.
    private static double Round(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}

/// <summary>A page of the change feed (<see cref="ReputationService.ChangesAsync"/>).</summary>
public sealed record ChangesPage(IReadOnlyList<(ReputationChange Change, ReputationView View)> Changes, long Last, bool More);
