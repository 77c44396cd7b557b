using RepSec.Core.Reputation;

namespace RepSec.Core.Tests.Reputation;

/// <summary>The O(1) aggregate against a from-scratch computation over the same reports.</summary>
public sealed class ReputationAggregateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Share(double Weight, double Rating, DateTimeOffset At);

    private static (double Rating, double Weight) FromScratch(IEnumerable<Share> shares, DateTimeOffset now, double halfLife)
    {
        double weight = 0, rated = 0;
        foreach (var share in shares)
        {
            var w = share.Weight * ReputationAggregate.Decay(share.At, now, halfLife);
            weight += w;
            rated += w * share.Rating;
        }

        return (weight > 0 ? rated / weight : 0, weight);
    }

    [Theory]
    [InlineData(30.0, 1)]
    [InlineData(1.0, 2)]
    [InlineData(0.0, 3)]
    public void Adding_and_removing_in_any_order_matches_recomputing_from_scratch(double halfLife, int seed)
    {
        var random = new Random(seed);
        var aggregate = ReputationAggregate.Empty;
        var live = new List<Share>();
        var now = Start;
        for (var step = 0; step < 5_000; step++)
        {
            now = now.AddMinutes(random.Next(0, 120));
            if (live.Count > 0 && random.Next(3) == 0)
            {
                var leaving = live[random.Next(live.Count)];
                live.Remove(leaving);
                aggregate = aggregate.Remove(leaving.Weight, leaving.Rating, leaving.At, now, halfLife);
            }
            else
            {
                var share = new Share(random.NextDouble(), random.NextDouble(), now);
                live.Add(share);
                aggregate = aggregate.Add(share.Weight, share.Rating, share.At, now, halfLife);
            }

            var (rating, weight) = FromScratch(live, now, halfLife);
            Assert.Equal(live.Count, aggregate.Count);
            Assert.Equal(weight, aggregate.WeightAt(now, halfLife), weight * 1e-9 + 1e-12);
            Assert.Equal(rating, aggregate.Rating, 1e-9);
        }
    }

    [Fact]
    public void Removing_the_last_report_leaves_exactly_nothing()
    {
        var aggregate = ReputationAggregate.Empty.Add(0.7, 0.9, Start, Start, 30).Remove(0.7, 0.9, Start, Start.AddDays(3), 30);
        Assert.Equal((0L, 0.0, 0.0), (aggregate.Count, aggregate.Weight, aggregate.Rated));
        Assert.Equal(0, aggregate.Rating);
    }

    [Fact]
    public void A_report_from_a_node_whose_clock_trails_counts_as_older_not_newer()
    {
        var aggregate = ReputationAggregate.Empty.Add(1, 1, Start.AddHours(1), Start.AddHours(1), 30);
        // Another node stamps its report 10 s earlier than the aggregate's time: the sums are not moved back.
        aggregate = aggregate.Add(1, 0, Start.AddHours(1).AddSeconds(-10), Start.AddHours(1).AddSeconds(-10), 30);
        Assert.Equal(Start.AddHours(1), aggregate.At);
        Assert.True(aggregate.Rating > 0.5, "the earlier report weighs slightly less");
        Assert.Equal(0.5, aggregate.Rating, 1e-6);
    }

    [Fact]
    public void Weight_halves_every_half_life()
    {
        var aggregate = ReputationAggregate.Empty.Add(1, 1, Start, Start, 30);
        Assert.Equal(0.5, aggregate.WeightAt(Start.AddDays(30), 30), 1e-12);
        Assert.Equal(0.25, aggregate.WeightAt(Start.AddDays(60), 30), 1e-12);
        Assert.Equal(1, aggregate.WeightAt(Start.AddDays(60), 0));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    public void Cursors_round_trip_and_others_are_refused(long sequence)
    {
        Assert.True(ChangeCursor.TryDecode(ChangeCursor.Encode(sequence), out var decoded));
        Assert.Equal(sequence, decoded);
        Assert.True(ChangeCursor.TryDecode("", out var start));
        Assert.Equal(0, start);
        foreach (var bad in new[] { "x", "AQAAAA+AAAAA", "AgAAAAAAAAAA", "AQAAAAAAAAAAAA", "AQAAAAAAAA==", "gAAAAAAAAAAA" })
        {
            Assert.False(ChangeCursor.TryDecode(bad, out _), bad);
        }
    }
}
