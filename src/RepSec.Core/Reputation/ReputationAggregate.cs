namespace RepSec.Core.Reputation;

/// <summary>
/// The maintained aggregate of one entity's reports for one assertion (or of all reports of an assertion, for
/// <c>normal-rating</c>): how many reports count, and their weight and weighted rating, both decayed to
/// <see cref="At"/>. Adding or taking out a report costs O(1) whatever the number of reports, because decay is
/// exponential: every weight shrinks by the same factor over the same time, so the sums decay as one and a
/// report's current share is recomputed exactly from its own weight and time (docs/reputation.md, "Aggregation").
/// </summary>
/// <param name="Count">Reports counted (not withdrawn, superseded or expired).</param>
/// <param name="Weight">Sum of trust x confidence x decay, as at <see cref="At"/>.</param>
/// <param name="Rated">Sum of weight x rating, as at <see cref="At"/>.</param>
/// <param name="At">The time both sums are decayed to.</param>
public readonly record struct ReputationAggregate(long Count, double Weight, double Rated, DateTimeOffset At)
{
    public static readonly ReputationAggregate Empty = new(0, 0, 0, DateTimeOffset.UnixEpoch);

    /// <summary>The aggregate with a report of weight <paramref name="weight"/> made at <paramref name="madeAt"/> added, as of <paramref name="now"/>.</summary>
    public ReputationAggregate Add(double weight, double rating, DateTimeOffset madeAt, DateTimeOffset now, double halfLifeDays) =>
        Shift(+1, weight, rating, madeAt, now, halfLifeDays);

    /// <summary>The aggregate with that report's current share taken out again.</summary>
    public ReputationAggregate Remove(double weight, double rating, DateTimeOffset madeAt, DateTimeOffset now, double halfLifeDays) =>
        Shift(-1, weight, rating, madeAt, now, halfLifeDays);

    /// <summary>The weighted mean rating, or 0 when nothing counted has weight.</summary>
    public double Rating => Weight > 0 && Count > 0 ? Math.Clamp(Rated / Weight, 0, 1) : 0;

    /// <summary>The total weight as of <paramref name="now"/>.</summary>
    public double WeightAt(DateTimeOffset now, double halfLifeDays) => Count > 0 ? Weight * Decay(At, now, halfLifeDays) : 0;

    /// <summary>2^(-elapsed / half-life): what a weight at <paramref name="from"/> is worth at <paramref name="to"/>.</summary>
    public static double Decay(DateTimeOffset from, DateTimeOffset to, double halfLifeDays) =>
        halfLifeDays <= 0 ? 1 : Math.Pow(2, -(to - from).TotalDays / halfLifeDays);

    private ReputationAggregate Shift(int sign, double weight, double rating, DateTimeOffset madeAt, DateTimeOffset now, double halfLifeDays)
    {
        // Move the sums forward to now (never back: another node's clock may trail this one's a little).
        var at = now > At ? now : At;
        var scale = Count > 0 ? Decay(At, at, halfLifeDays) : 0;
        var share = weight * Decay(madeAt, at, halfLifeDays);
        var count = Count + sign;
        if (count <= 0)
        {
            return new(0, 0, 0, at);
        }

        var total = Math.Max(0, Weight * scale + sign * share);
        var rated = Math.Max(0, Rated * scale + sign * share * rating);
        return new(count, total, Math.Min(rated, total), at);
    }
}
