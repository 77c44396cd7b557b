using RepSec.Server.Rdap.Authentication;

namespace RepSec.Server.Tests.Rdap.Authentication;

public sealed class DigestReplayTrackerTests
{
    private const long Now = 1_800_000_000_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    [Fact]
    public void Counts_within_the_window_are_accepted_once_in_any_order()
    {
        var tracker = new DigestReplayTracker(10, Lifetime);

        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 3, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 1, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 2, Now));
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n", Now, 1, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 66, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 4, Now)); // 66 - 4 = 62: still in the window
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n", Now, 3, Now)); // used, and now below the window
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n", Now, 2, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("other", Now, 1, Now));
    }

    [Fact]
    public void A_jump_beyond_the_window_forgets_every_older_count()
    {
        var tracker = new DigestReplayTracker(10, Lifetime);

        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 1, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 1000, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, 999, Now));
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n", Now, 900, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n", Now, uint.MaxValue, Now));
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n", Now, uint.MaxValue, Now));
    }

    [Fact]
    public void At_capacity_the_oldest_nonce_is_dropped_and_then_answered_stale_never_valid()
    {
        var tracker = new DigestReplayTracker(3, Lifetime);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DigestOutcome.Valid, tracker.Use($"n{i}", Now + i, 1, Now + 10));
        }

        Assert.Equal(DigestOutcome.Valid, tracker.Use("n3", Now + 3, 1, Now + 10));

        Assert.Equal(3, tracker.Count);
        Assert.Equal(DigestOutcome.Stale, tracker.Use("n0", Now, 1, Now + 10));
        Assert.Equal(DigestOutcome.Stale, tracker.Use("n0", Now, 2, Now + 10));
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n1", Now + 1, 1, Now + 10));
        Assert.Equal(3, tracker.Count);
    }

    [Fact]
    public void At_capacity_a_nonce_older_than_all_remembered_is_stale_and_pushes_nothing_out()
    {
        var tracker = new DigestReplayTracker(2, Lifetime);
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n1", Now + 1, 1, Now + 10));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("n2", Now + 2, 1, Now + 10));

        Assert.Equal(DigestOutcome.Stale, tracker.Use("n0", Now, 1, Now + 10));

        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n1", Now + 1, 1, Now + 10));
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n2", Now + 2, 1, Now + 10));
    }

    [Fact]
    public void Expired_nonces_are_dropped_before_live_ones()
    {
        var tracker = new DigestReplayTracker(3, Lifetime);
        Assert.Equal(DigestOutcome.Valid, tracker.Use("old1", Now, 1, Now));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("old2", Now + 1, 1, Now + 1));
        Assert.Equal(DigestOutcome.Valid, tracker.Use("live", Now + 200_000, 1, Now + 200_000));

        var later = Now + 300_002;
        Assert.Equal(DigestOutcome.Valid, tracker.Use("new", later, 1, later));

        Assert.Equal(2, tracker.Count);
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("live", Now + 200_000, 1, later));
    }

    [Fact]
    public void Many_nonces_never_grow_the_record_past_its_capacity()
    {
        var tracker = new DigestReplayTracker(100, Lifetime);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(DigestOutcome.Valid, tracker.Use($"n{i}", Now + i, 1, Now + i));
        }

        Assert.Equal(100, tracker.Count);
        Assert.Equal(DigestOutcome.Replayed, tracker.Use("n9999", Now + 9999, 1, Now + 10_000));
        Assert.Equal(DigestOutcome.Stale, tracker.Use("n9899", Now + 9899, 2, Now + 10_000));
    }
}
