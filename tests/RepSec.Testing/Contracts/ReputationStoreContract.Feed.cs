using RepSec.Core.Reputation;
using RepSec.Core.Security;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Testing.Contracts;

/// <summary>The change feed, the log entries writes append, durability, and the aggregates against a recomputation.</summary>
public abstract partial class ReputationStoreContract
{
    [SkippableFact]
    public async Task The_change_feed_lists_each_entity_once_at_its_latest_change_in_commit_order()
    {
        Assert.Empty(await Store.GetChangesAsync(0, 10));
        await Principals.EnsurePrincipalAsync("bob", Role.Registrant);
        await ReportAsync(E1, "alice", 1, At);
        await ReportAsync(E2, "alice", 1, At.AddMinutes(1));
        var e3 = await ReportAsync(E3, "alice", 1, At.AddMinutes(2));
        await ReportAsync(E1, "bob", 0, At.AddMinutes(3));

        var feed = await Store.GetChangesAsync(0, 10);

        Assert.Equal([E2.Key, E3.Key, E1.Key], feed.Select(c => c.Reputation.Key));
        AssertAscending(feed);
        var e1 = feed[2];
        Assert.Equal((EntityType.Domain, E1.Value, At.AddMinutes(3), (AllowlistEntry?)null), (e1.Reputation.Type, e1.Reputation.Value, e1.ChangedAt, e1.Reputation.Allowlisted));
        Assert.Equal((await Store.GetAsync(E1)).Assertions, e1.Reputation.Assertions);
        Assert.Equal(2, e1.Reputation.Assertions[Spam].Count);

        var first = await Store.GetChangesAsync(0, 2);
        var second = await Store.GetChangesAsync(first[^1].Sequence, 2);
        Assert.Equal([E2.Key, E3.Key], first.Select(c => c.Reputation.Key));
        Assert.Equal([E1.Key], second.Select(c => c.Reputation.Key));
        Assert.Empty(await Store.GetChangesAsync(second[^1].Sequence, 2));
        var cursor = second[^1].Sequence;

        // Refused writes change nothing, so they move nothing.
        Assert.Equal(ReportStatus.TooSoon, (await Store.ReportAsync(Draft(E3, "alice", 0, At.AddMinutes(4)), DefaultTrust, HalfLife)).Status);
        Assert.Equal(ReportStatus.NotFound, (await Store.SetAllowlistAsync(AllowlistChange.Remove(E2, "root", At.AddMinutes(4)))).Status);
        Assert.Equal(ReportStatus.NotReporter, (await Store.WithdrawAsync(new Withdrawal(e3, "bob", "bob", At.AddMinutes(4)), HalfLife)).Status);
        Assert.Equal(new SweepResult(0, 0), await Store.SweepAsync(At.AddMinutes(4), null, HalfLife));
        Assert.Empty(await Store.GetChangesAsync(cursor, 10));

        await Store.SetAllowlistAsync(AllowlistChange.Add(E2, "partner", "root", At.AddMinutes(5)));
        var allowlisted = Assert.Single(await Store.GetChangesAsync(cursor, 10));
        Assert.True(allowlisted.Sequence > cursor);
        Assert.Equal((E2.Key, "partner", 1L), (allowlisted.Reputation.Key, allowlisted.Reputation.Allowlisted?.Reason, allowlisted.Reputation.Assertions[Spam].Count));

        // Each kind of write moves what it changed to the end.
        await Store.WithdrawAsync(new Withdrawal(e3, "alice", "alice", At.AddMinutes(6)), HalfLife);
        await Store.SetTrustAsync(TrustChange.Create("bob", 0.5, "root", At.AddMinutes(7)), HalfLife);
        await Store.SetAllowlistAsync(AllowlistChange.Remove(E2, "root", At.AddMinutes(8)));
        var moved = await Store.GetChangesAsync(cursor, 10);

        Assert.Equal([E3.Key, E1.Key, E2.Key], moved.Select(c => c.Reputation.Key));
        AssertAscending(moved);
        Assert.Empty(moved[0].Reputation.Assertions);
        Assert.Equal(At.AddMinutes(7), moved[1].ChangedAt);
        Assert.Null(moved[2].Reputation.Allowlisted);
        Assert.Equal([E3.Key, E1.Key, E2.Key], (await Store.GetChangesAsync(0, 100)).Select(c => c.Reputation.Key));
    }

    [SkippableFact]
    public async Task Every_write_appends_exactly_one_log_entry_at_the_index_it_returns()
    {
        await Principals.EnsurePrincipalAsync("alice", Role.Registrant);
        var report = Draft(E1, "alice", 1, At);
        var first = await AppendsOneAsync(() => Store.ReportAsync(report, DefaultTrust, HalfLife), report.Log);
        var again = Draft(E1, "alice", 0, At.AddHours(1));
        var second = await AppendsOneAsync(() => Store.ReportAsync(again, DefaultTrust, HalfLife), again.Log);
        Assert.Equal(first.LogIndex, second.Superseded);
        await AppendsNoneAsync(() => Store.ReportAsync(Draft(E1, "alice", 0, At.AddMinutes(90)), DefaultTrust, HalfLife), ReportStatus.TooSoon);

        await AppendsNoneAsync(() => Store.WithdrawAsync(new Withdrawal(second.LogIndex + 100, "alice", "alice", At.AddHours(2)), HalfLife), ReportStatus.NotFound);
        await AppendsNoneAsync(() => Store.WithdrawAsync(new Withdrawal(second.LogIndex, "bob", "bob", At.AddHours(2)), HalfLife), ReportStatus.NotReporter);
        await AppendsNoneAsync(() => Store.WithdrawAsync(new Withdrawal(first.LogIndex, "alice", "alice", At.AddHours(2)), HalfLife), ReportStatus.AlreadyWithdrawn);
        await AppendsOneAsync(() => Store.WithdrawAsync(new Withdrawal(second.LogIndex, "alice", "alice", At.AddHours(2)), HalfLife));

        var add = AllowlistChange.Add(E1, "ours", "root", At.AddHours(3));
        await AppendsOneAsync(() => Store.SetAllowlistAsync(add), add.Log);
        var remove = AllowlistChange.Remove(E1, "root", At.AddHours(3));
        await AppendsOneAsync(() => Store.SetAllowlistAsync(remove), remove.Log);
        await AppendsNoneAsync(() => Store.SetAllowlistAsync(AllowlistChange.Remove(E1, "root", At.AddHours(3))), ReportStatus.NotFound);

        var trust = TrustChange.Create("alice", 0.5, "root", At.AddHours(4));
        await AppendsOneAsync(() => Store.SetTrustAsync(trust, HalfLife), trust.Log);
        await AppendsNoneAsync(() => Store.SetTrustAsync(TrustChange.Create("nobody", 0.5, "root", At.AddHours(4)), HalfLife), ReportStatus.NotFound);

        await ReportAsync(E2, "alice", 1, At.AddHours(5), evidence: "x", lifetime: TimeSpan.FromDays(1));
        var size = await Log.GetTreeSizeAsync();
        Assert.Equal(new SweepResult(1, 1), await Store.SweepAsync(At.AddDays(2), At.AddDays(2), HalfLife));
        Assert.Equal(size, await Log.GetTreeSizeAsync());
    }

    [SkippableFact]
    public async Task Reputation_survives_reopening()
    {
        await Principals.EnsurePrincipalAsync("alice", Role.Registrant);
        var id = await ReportAsync(E1, "alice", 0.75, At, confidence: 0.5, evidence: "kept");
        await ReportAsync(E1, "bob", 0.25, At.AddMinutes(1), Phishing);
        await Store.SetTrustAsync(TrustChange.Create("alice", 0.5, "root", At.AddMinutes(2)), HalfLife);
        await Store.SetAllowlistAsync(AllowlistChange.Add(E2, "partner", "root", At.AddMinutes(3)));
        var reputation = await Store.GetAsync(E1);
        var norms = await Store.GetNormsAsync();
        var report = await Store.GetReportAsync(id);
        var changes = await Store.GetChangesAsync(0, 10);
        var size = await Log.GetTreeSizeAsync();

        await ReopenAsync();

        Assert.Equal(reputation.Assertions, (await Store.GetAsync(E1)).Assertions);
        Assert.Equal(2, reputation.Assertions.Count);
        Assert.Equal(norms, await Store.GetNormsAsync());
        Assert.Equal(report, await Store.GetReportAsync(id), StoredReportComparer.Instance);
        Assert.Equal(0.25, report!.Weight);
        Assert.Equal(new Dictionary<string, double> { ["alice"] = 0.5 }, await Store.GetTrustAsync());
        Assert.Equal(new AllowlistEntry("partner", "root", At.AddMinutes(3)), (await Store.GetAsync(E2)).Allowlisted);
        Assert.Equal(changes.Select(c => (c.Sequence, c.ChangedAt, c.Reputation.Key)), (await Store.GetChangesAsync(0, 10)).Select(c => (c.Sequence, c.ChangedAt, c.Reputation.Key)));

        // The interval, supersession, stored trust, the log and the feed all carry on.
        Assert.Equal(ReportStatus.TooSoon, (await Store.ReportAsync(Draft(E1, "alice", 0, At.AddMinutes(30)), DefaultTrust, HalfLife)).Status);
        var next = await Store.ReportAsync(Draft(E1, "alice", 0, At.AddHours(1)), DefaultTrust, HalfLife);
        Assert.Equal((ReportStatus.Done, size, (long?)id), (next.Status, next.LogIndex, next.Superseded));
        Assert.Equal(0.5, (await Store.GetReportAsync(next.LogIndex))!.Weight);
        var moved = Assert.Single(await Store.GetChangesAsync(changes[^1].Sequence, 10));
        Assert.Equal(E1.Key, moved.Reputation.Key);
    }

    [SkippableFact]
    public async Task Maintained_aggregates_match_a_recomputation_from_scratch()
    {
        var random = new Random(20261122);
        CanonicalEntity[] entities = [E1, E2, E3];
        string[] assertions = [Spam, Phishing];
        var reporters = Enumerable.Range(0, 8).Select(i => $"reporter{i}").ToArray();
        foreach (var reporter in reporters)
        {
            await Principals.EnsurePrincipalAsync(reporter, Role.Registrant);
        }

        var trust = reporters.ToDictionary(r => r, _ => DefaultTrust);
        // What counts: each reporter's latest report per entity and assertion, unless withdrawn or swept out.
        var counted = new Dictionary<(string Reporter, int Entity, string Assertion), (long Id, double Rating, double Confidence, DateTimeOffset At, DateTimeOffset Expires)>();
        var now = At;
        for (var step = 0; step < 150; step++)
        {
            now = now.AddMinutes(2 + random.Next(600));
            var roll = random.NextDouble();
            if (roll < 0.1 && counted.Count > 0)
            {
                var (key, report) = counted.ElementAt(random.Next(counted.Count));
                Assert.Equal(ReportStatus.Done, (await Store.WithdrawAsync(new Withdrawal(report.Id, key.Reporter, key.Reporter, now), HalfLife)).Status);
                counted.Remove(key);
            }
            else if (roll < 0.17)
            {
                var reporter = reporters[random.Next(reporters.Length)];
                trust[reporter] = 0.1 + 0.9 * random.NextDouble();
                Assert.Equal(ReportStatus.Done, (await Store.SetTrustAsync(TrustChange.Create(reporter, trust[reporter], "root", now), HalfLife)).Status);
            }
            else if (roll < 0.22)
            {
                var expired = counted.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList();
                Assert.Equal(new SweepResult(expired.Count, 0), await Store.SweepAsync(now, null, HalfLife));
                expired.ForEach(key => counted.Remove(key));
            }
            else
            {
                var key = (reporters[random.Next(reporters.Length)], random.Next(entities.Length), assertions[random.Next(assertions.Length)]);
                var (rating, confidence) = (random.NextDouble(), 0.1 + 0.9 * random.NextDouble());
                var lifetime = TimeSpan.FromHours(12 + random.Next(24 * 20));
                var outcome = await Store.ReportAsync(Draft(entities[key.Item2], key.Item1, rating, now, key.Item3, confidence, lifetime: lifetime), DefaultTrust, HalfLife);
                Assert.Equal(ReportStatus.Done, outcome.Status);
                Assert.Equal(counted.TryGetValue(key, out var previous) ? previous.Id : (long?)null, outcome.Superseded);
                counted[key] = (outcome.LogIndex, rating, confidence, now, now + lifetime);
            }
        }

        Assert.True(counted.Count > 10, "the scenario should leave a fair number of reports counted");
        foreach (var assertion in assertions)
        {
            var all = counted.Where(c => c.Key.Assertion == assertion).ToList();
            AssertMatches(FromScratch(all.Select(c => (trust[c.Key.Reporter] * c.Value.Confidence, c.Value.Rating, c.Value.At)), now),
                (await Store.GetNormsAsync())[assertion], now, $"{assertion} norm");
            for (var i = 0; i < entities.Length; i++)
            {
                var expected = all.Where(c => c.Key.Entity == i).ToList();
                var actual = await AggregateAsync(entities[i], assertion);
                Assert.Equal(expected.Select(c => c.Value.Id).OrderDescending(),
                    (await Store.GetReportsAsync(EntityType.Domain, entities[i].Key, 100)).Where(r => r.Assertion == assertion).Select(r => r.Id));
                if (expected.Count == 0)
                {
                    Assert.Null(actual);
                    continue;
                }

                AssertMatches(FromScratch(expected.Select(c => (trust[c.Key.Reporter] * c.Value.Confidence, c.Value.Rating, c.Value.At)), now),
                    actual, now, $"{entities[i].Key} {assertion}");
            }
        }
    }

    private static void AssertAscending(IReadOnlyList<ReputationChange> changes) =>
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequence numbers must increase");

    private async Task<ReportOutcome> AppendsOneAsync(Func<ValueTask<ReportOutcome>> write, LogEntryDraft? entry = null)
    {
        var size = await Log.GetTreeSizeAsync();
        var outcome = await write();
        Assert.Equal((ReportStatus.Done, size), (outcome.Status, outcome.LogIndex));
        Assert.Equal(size + 1, await Log.GetTreeSizeAsync());
        if (entry is not null)
        {
            var leaf = new NodeId(0, size);
            Assert.Equal(entry.LeafAt(size).Hash(), (await Log.ReadNodesAsync([leaf]))[leaf]);
        }

        return outcome;
    }

    private async Task AppendsNoneAsync(Func<ValueTask<ReportOutcome>> write, ReportStatus expected)
    {
        var size = await Log.GetTreeSizeAsync();
        Assert.Equal(expected, (await write()).Status);
        Assert.Equal(size, await Log.GetTreeSizeAsync());
    }
}
