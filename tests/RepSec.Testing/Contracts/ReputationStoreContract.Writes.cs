using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>Withdrawals, the allowlist, reporter trust and the sweep.</summary>
public abstract partial class ReputationStoreContract
{
    [SkippableFact]
    public async Task Withdrawal_checks_the_reporter_empties_the_aggregates_and_purges_the_evidence()
    {
        var id = await ReportAsync(E1, "alice", 1, At, evidence: "the message");
        var size = await Log.GetTreeSizeAsync();

        Assert.Equal(ReportStatus.NotFound, (await Store.WithdrawAsync(new Withdrawal(id + 1000, "alice", "alice", At.AddHours(1)), HalfLife)).Status);
        Assert.Equal(ReportStatus.NotReporter, (await Store.WithdrawAsync(new Withdrawal(id, "bob", "bob", At.AddHours(1)), HalfLife)).Status);
        Assert.Equal(size, await Log.GetTreeSizeAsync());
        Assert.Equal(1, (await AggregateAsync(E1))!.Value.Count);

        var withdrawn = await Store.WithdrawAsync(new Withdrawal(id, "alice", "alice", At.AddHours(1)), HalfLife);

        Assert.Equal((ReportStatus.Done, size), (withdrawn.Status, withdrawn.LogIndex));
        Assert.Empty((await Store.GetAsync(E1)).Assertions);
        Assert.True(!(await Store.GetNormsAsync()).TryGetValue(Spam, out var norm) || norm.Count == 0, "the norm still counts the report");
        Assert.Empty(await Store.GetReportsAsync(EntityType.Domain, E1.Key, 10));
        var stored = (await Store.GetReportAsync(id))!;
        Assert.Equal(((string?)null, (DateTimeOffset?)At.AddHours(1), 1.0), (stored.Evidence, stored.EndedAt, stored.Rating));
        // The reporter is checked before the state, so others learn nothing about someone else's report.
        Assert.Equal(ReportStatus.NotReporter, (await Store.WithdrawAsync(new Withdrawal(id, "bob", "bob", At.AddHours(2)), HalfLife)).Status);
        Assert.Equal(ReportStatus.AlreadyWithdrawn, (await Store.WithdrawAsync(new Withdrawal(id, "alice", "alice", At.AddHours(2)), HalfLife)).Status);
        Assert.Equal(ReportStatus.AlreadyWithdrawn, (await Store.WithdrawAsync(new Withdrawal(id, "root", null, At.AddHours(2)), HalfLife)).Status);
        Assert.Equal(size + 1, await Log.GetTreeSizeAsync());

        // An admin (no required reporter) withdraws anyone's; a superseded report no longer counts, so it cannot be withdrawn.
        var bob = await ReportAsync(E1, "bob", 0.5, At.AddHours(1));
        var carol = await ReportAsync(E1, "carol", 0.5, At.AddHours(1));
        await ReportAsync(E1, "carol", 0.25, At.AddHours(3));
        Assert.Equal(ReportStatus.Done, (await Store.WithdrawAsync(new Withdrawal(bob, "root", null, At.AddHours(4)), HalfLife)).Status);
        Assert.Equal(ReportStatus.AlreadyWithdrawn, (await Store.WithdrawAsync(new Withdrawal(carol, "carol", "carol", At.AddHours(4)), HalfLife)).Status);
        var asOf = At.AddHours(4);
        AssertMatches(FromScratch([(1, 0.25, At.AddHours(3))], asOf), await AggregateAsync(E1), asOf, "spam");
    }

    [SkippableFact]
    public async Task The_allowlist_is_added_replaced_and_removed()
    {
        await ReportAsync(E1, "alice", 1, At);
        var size = await Log.GetTreeSizeAsync();

        Assert.Equal(ReportStatus.NotFound, (await Store.SetAllowlistAsync(AllowlistChange.Remove(E1, "root", At))).Status);
        Assert.Equal(size, await Log.GetTreeSizeAsync());

        var added = await Store.SetAllowlistAsync(AllowlistChange.Add(E1, "our own mail server", "root", At.AddMinutes(1)));
        Assert.Equal((ReportStatus.Done, size), (added.Status, added.LogIndex));
        var reputation = await Store.GetAsync(E1);
        Assert.Equal(new AllowlistEntry("our own mail server", "root", At.AddMinutes(1)), reputation.Allowlisted);
        Assert.Equal(1, reputation.Assertions[Spam].Count);
        Assert.Null((await Store.GetAsync(E2)).Allowlisted);

        await Store.SetAllowlistAsync(AllowlistChange.Add(E1, "still ours", "admin2", At.AddMinutes(2)));
        Assert.Equal(new AllowlistEntry("still ours", "admin2", At.AddMinutes(2)), (await Store.GetAsync(E1)).Allowlisted);

        // An entity nobody reported can be allowlisted too.
        await Store.SetAllowlistAsync(AllowlistChange.Add(E3, "partner", "root", At.AddMinutes(3)));
        Assert.Equal(("partner", 0), ((await Store.GetAsync(E3)).Allowlisted?.Reason, (await Store.GetAsync(E3)).Assertions.Count));

        Assert.Equal(ReportStatus.Done, (await Store.SetAllowlistAsync(AllowlistChange.Remove(E1, "root", At.AddMinutes(4)))).Status);
        Assert.Null((await Store.GetAsync(E1)).Allowlisted);
        Assert.Equal(ReportStatus.NotFound, (await Store.SetAllowlistAsync(AllowlistChange.Remove(E1, "root", At.AddMinutes(5)))).Status);
        Assert.Equal(size + 4, await Log.GetTreeSizeAsync());
    }

    [SkippableFact]
    public async Task Setting_a_reporters_trust_needs_the_principal_and_reweights_their_counted_reports()
    {
        var alice = await ReportAsync(E1, "alice", 1, At);
        await ReportAsync(E1, "bob", 0, At);
        await ReportAsync(E2, "alice", 1, At, confidence: 0.5);
        Assert.Equal(0.5, (await AggregateAsync(E1))!.Value.Rating);
        var size = await Log.GetTreeSizeAsync();

        var unknown = await Store.SetTrustAsync(TrustChange.Create("alice", 0.25, "root", At.AddDays(1)), HalfLife);
        Assert.Equal(ReportStatus.NotFound, unknown.Status);
        Assert.Equal(size, await Log.GetTreeSizeAsync());
        Assert.Empty(await Store.GetTrustAsync());

        await Principals.EnsurePrincipalAsync("alice", Role.Registrant);
        size = await Log.GetTreeSizeAsync();
        var set = await Store.SetTrustAsync(TrustChange.Create("alice", 0.25, "root", At.AddDays(1)), HalfLife);

        Assert.Equal((ReportStatus.Done, size), (set.Status, set.LogIndex));
        Assert.Equal(size + 1, await Log.GetTreeSizeAsync());
        Assert.Equal(new Dictionary<string, double> { ["alice"] = 0.25 }, await Store.GetTrustAsync());
        var asOf = At.AddDays(1);
        AssertMatches(FromScratch([(0.25, 1, At), (1, 0, At)], asOf), await AggregateAsync(E1), asOf, "e1");
        AssertClose(0.2, (await AggregateAsync(E1))!.Value.Rating, "e1 rating");
        AssertMatches(FromScratch([(0.125, 1, At)], asOf), await AggregateAsync(E2), asOf, "e2");
        AssertMatches(FromScratch([(0.25, 1, At), (1, 0, At), (0.125, 1, At)], asOf), (await Store.GetNormsAsync())[Spam], asOf, "norm");
        Assert.Equal(0.25, (await Store.GetReportAsync(alice))!.Weight);

        // New reports are weighted with the trust set, not the default.
        await ReportAsync(E3, "alice", 1, At.AddDays(1), confidence: 0.5);
        Assert.Equal(0.125, (await Store.GetReportsAsync(EntityType.Domain, E3.Key, 1))[0].Weight);

        // Raising it again reweights the same reports from the weights now stored.
        await Store.SetTrustAsync(TrustChange.Create("alice", 1, "root", At.AddDays(2)), HalfLife);
        asOf = At.AddDays(2);
        AssertMatches(FromScratch([(1, 1, At), (1, 0, At)], asOf), await AggregateAsync(E1), asOf, "e1 again");
        AssertMatches(FromScratch([(0.5, 1, At.AddDays(1))], asOf), await AggregateAsync(E3), asOf, "e3");
    }

    [SkippableFact]
    public async Task The_sweep_expires_reports_and_purges_old_evidence_without_logging()
    {
        var shortLived = await ReportAsync(E1, "alice", 1, At, evidence: "first", lifetime: TimeSpan.FromDays(1));
        var longLived = await ReportAsync(E1, "bob", 0.5, At, evidence: "second", lifetime: TimeSpan.FromDays(10));
        await ReportAsync(E2, "carol", 1, At, lifetime: TimeSpan.FromDays(1));
        var size = await Log.GetTreeSizeAsync();
        var lastSequence = (await Store.GetChangesAsync(0, 100))[^1].Sequence;

        Assert.Equal(new SweepResult(0, 0), await Store.SweepAsync(At.AddHours(23), null, HalfLife));
        var swept = await Store.SweepAsync(At.AddDays(1), null, HalfLife);

        Assert.Equal(new SweepResult(2, 0), swept);
        Assert.Equal(size, await Log.GetTreeSizeAsync());
        var asOf = At.AddDays(1);
        AssertMatches(FromScratch([(1, 0.5, At)], asOf), await AggregateAsync(E1), asOf, "e1");
        Assert.Empty((await Store.GetAsync(E2)).Assertions);
        Assert.Equal(1, (await Store.GetNormsAsync())[Spam].Count);
        Assert.Equal([longLived], (await Store.GetReportsAsync(EntityType.Domain, E1.Key, 10)).Select(r => r.Id));
        Assert.Equal(("first", (DateTimeOffset?)At.AddDays(1)), ((await Store.GetReportAsync(shortLived))!.Evidence, (await Store.GetReportAsync(shortLived))!.EndedAt));
        Assert.Equal([E1.Key, E2.Key], (await Store.GetChangesAsync(lastSequence, 100)).Select(c => c.Reputation.Key).Order(StringComparer.Ordinal));
        Assert.Equal(ReportStatus.AlreadyWithdrawn, (await Store.WithdrawAsync(new Withdrawal(shortLived, "alice", "alice", At.AddDays(2)), HalfLife)).Status);

        var purged = await Store.SweepAsync(At.AddDays(2), At.AddMilliseconds(1), HalfLife);

        Assert.Equal(new SweepResult(0, 2), purged);
        Assert.Null((await Store.GetReportAsync(shortLived))!.Evidence);
        Assert.Null((await Store.GetReportAsync(longLived))!.Evidence);
        Assert.Equal(1, (await AggregateAsync(E1))!.Value.Count);
        Assert.Equal(new SweepResult(0, 0), await Store.SweepAsync(At.AddDays(2), At.AddDays(2), HalfLife));
        Assert.Equal(size, await Log.GetTreeSizeAsync());

        // Evidence newer than the cutoff stays.
        await ReportAsync(E3, "dave", 1, At.AddDays(3), evidence: "fresh");
        Assert.Equal(new SweepResult(0, 0), await Store.SweepAsync(At.AddDays(3), At.AddDays(3), HalfLife));
        Assert.Equal("fresh", (await Store.GetReportsAsync(EntityType.Domain, E3.Key, 1))[0].Evidence);
    }
}
