using RepSec.Client;
using RepSec.Client.Reputation;
using RepSec.Core.Security;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Client;

/// <summary>The reputation extension through RepSec.Client against a real server over TLS.</summary>
public sealed class ReputationClientTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _alice = "";
    private string _bob = "";
    private string _admin = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _alice = await _server.IssueTokenAsync("alice", Role.Registrant);
        _bob = await _server.IssueTokenAsync("bob", Role.Registrant);
        _admin = await _server.IssueTokenAsync("root", Role.Admin);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<RepSecClient> ConnectAsync(string? token) =>
        RepSecClient.ConnectAsync("localhost", _server.Port, new RepSecClientOptions { CaCertificatePath = _server.CaPath, Token = token });

    [Fact]
    public async Task Two_reporters_make_one_weighted_reputon_and_only_reporters_see_their_evidence()
    {
        await using var alice = await ConnectAsync(_alice);
        await using var bob = await ConnectAsync(_bob);
        await using var anonymous = await ConnectAsync(null);

        var first = await alice.ReportAsync(new ReputationReport("Bad.Example.", "spam", 0.9));
        var second = await bob.ReportAsync(new ReputationReport("bad.example", "spam", 0.5)
        {
            Type = "domain", Confidence = 0.5, Categories = ["botnet", "snowshoe"], Evidence = "headers of message 17",
            Expires = DateTimeOffset.UtcNow.AddDays(7),
        });
        var view = await anonymous.ReputationAsync("bad.example", reports: true);
        var bobsView = await bob.ReputationAsync("bad.example", "domain", reports: true);
        var hello = await anonymous.HelloAsync();

        Assert.Equal(("bad.example", "domain", "spam"), (first.Entity, first.Type, first.Assertion));
        Assert.Equal(first.LogIndex, first.ReportId);
        Assert.Null(first.Superseded);
        Assert.InRange(second.Expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        var reputon = Assert.Single(view.Reputons);
        // Weighted by confidence (trust 1 for both): (0.9 x 1 + 0.5 x 0.5) / 1.5; confidence W / (W + 1).
        Assert.Equal(("spam", "bad.example", 0.767, 0.6, 2L), (reputon.Assertion, reputon.Rated, reputon.Rating, reputon.Confidence!.Value, reputon.SampleSize!.Value));
        Assert.Equal(0.767, reputon.NormalRating);
        Assert.False(reputon.Allowlisted);
        Assert.False(view.Allowlisted);
        Assert.Null(view.Allowlist);
        Assert.True(reputon.Expires > reputon.Generated);
        Assert.Equal(hello.Extensions.Single(e => e.Name == ExtensionInfo.Reputation).Rater, reputon.Rater);
        Assert.Contains("spam", hello.Extensions.Single(e => e.Name == ExtensionInfo.Reputation).Assertions);

        // Newest first; anonymous readers see neither reporters nor evidence, a reporter sees its own.
        Assert.Equal([second.ReportId, first.ReportId], view.Reports!.Select(r => r.ReportId));
        Assert.All(view.Reports!, r => Assert.Null(r.Reporter));
        Assert.All(view.Reports!, r => Assert.Null(r.Evidence));
        Assert.Equal(["botnet", "snowshoe"], view.Reports![0].Categories);
        Assert.Equal((0.5, 0.5), (view.Reports[0].Rating, view.Reports[0].Confidence));
        Assert.Equal(("bob", "headers of message 17"), (bobsView.Reports![0].Reporter, bobsView.Reports[0].Evidence));
        Assert.Null(bobsView.Reports[1].Reporter);
        Assert.Null((await anonymous.ReputationAsync("bad.example")).Reports);
    }

    [Fact]
    public async Task The_change_feed_pages_resumes_from_its_cursor_and_follows_new_reports()
    {
        await using var alice = await ConnectAsync(_alice);
        await using var reader = await ConnectAsync(null);
        await alice.ReportAsync(new ReputationReport("one.example", "spam", 1));
        await alice.ReportAsync(new ReputationReport("two.example", "phishing", 0.8));

        var firstPage = await reader.ChangesAsync(limit: 1);
        var secondPage = await reader.ChangesAsync(firstPage.Cursor, limit: 1);
        var all = await reader.ChangesAsync();
        var nothingNew = await reader.ChangesAsync(all.Cursor);
        await alice.ReportAsync(new ReputationReport("three.example", "malware", 0.7));
        var afterReport = await reader.ChangesAsync(all.Cursor);

        Assert.Equal(["one.example"], firstPage.Changes.Select(c => c.Entity));
        Assert.True(firstPage.More);
        Assert.Equal(firstPage.Cursor, firstPage.Changes[0].ResumeCursor);
        Assert.Equal(["two.example"], secondPage.Changes.Select(c => c.Entity));
        Assert.False(secondPage.More);
        Assert.Equal(["one.example", "two.example"], all.Changes.Select(c => c.Entity));
        Assert.Null(all.Changes[0].ResumeCursor);
        Assert.Equal(all.Cursor, all.Changes[1].ResumeCursor);
        Assert.Equal(("phishing", 0.8, 1L), (all.Changes[1].Reputons[0].Assertion, all.Changes[1].Reputons[0].Rating, all.Changes[1].Reputons[0].SampleSize!.Value));
        Assert.Empty(nothingNew.Changes);
        Assert.Equal(all.Cursor, nothingNew.Cursor);
        Assert.False(nothingNew.More);
        Assert.Equal(["three.example"], afterReport.Changes.Select(c => c.Entity));

        var invalid = await Assert.ThrowsAsync<RepSecException>(() => reader.ChangesAsync("not-a-cursor"));
        Assert.Equal((400, "invalid_cursor"), (invalid.Status, invalid.Error));

        // Following from the end: the enumeration waits, then yields the report made meanwhile.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var feed = reader.FollowChangesAsync(afterReport.Cursor, TimeSpan.FromMilliseconds(100), timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = feed.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await alice.ReportAsync(new ReputationReport("four.example", "abuse", 0.6));
        Assert.True(await next);
        Assert.Equal("four.example", feed.Current.Entity);
        Assert.NotNull(feed.Current.ResumeCursor);
        Assert.Empty((await reader.ChangesAsync(feed.Current.ResumeCursor)).Changes);
    }

    [Fact]
    public async Task Withdraw_allowlist_and_trust_change_what_reputation_answers()
    {
        await using var alice = await ConnectAsync(_alice);
        await using var bob = await ConnectAsync(_bob);
        await using var admin = await ConnectAsync(_admin);
        await using var anonymous = await ConnectAsync(null);
        var alices = await alice.ReportAsync(new ReputationReport("mixed.example", "spam", 1) { Type = "domain" });
        await bob.ReportAsync(new ReputationReport("mixed.example", "spam", 0));

        var notReporter = await Assert.ThrowsAsync<RepSecException>(() => bob.WithdrawAsync(alices.ReportId));
        var withdrawn = await alice.WithdrawAsync(alices.ReportId);
        var again = await Assert.ThrowsAsync<RepSecException>(() => alice.WithdrawAsync(alices.ReportId));
        var missing = await Assert.ThrowsAsync<RepSecException>(() => alice.WithdrawAsync(alices.ReportId + 1000));
        var afterWithdraw = Assert.Single((await anonymous.ReputationAsync("mixed.example")).Reputons);

        Assert.Equal((403, "not_reporter"), (notReporter.Status, notReporter.Error));
        Assert.Equal(alices.ReportId, withdrawn.ReportId);
        Assert.True(withdrawn.LogIndex > alices.LogIndex);
        Assert.Equal((409, "already_withdrawn"), (again.Status, again.Error));
        Assert.Equal((404, "not_found"), (missing.Status, missing.Error));
        Assert.Equal((0.0, 1L), (afterWithdraw.Rating, afterWithdraw.SampleSize!.Value));

        await alice.ReportAsync(new ReputationReport("good.example", "spam", 1));
        var forbidden = await Assert.ThrowsAsync<RepSecException>(() => alice.AllowlistAddAsync("good.example", "ours"));
        var added = await admin.AllowlistAddAsync("good.example", "a false positive", "domain");
        var publicView = await anonymous.ReputationAsync("good.example");
        var adminView = await admin.ReputationAsync("good.example");
        var removed = await admin.AllowlistRemoveAsync("good.example");
        var notListed = await Assert.ThrowsAsync<RepSecException>(() => admin.AllowlistRemoveAsync("good.example"));

        Assert.Equal((403, "forbidden"), (forbidden.Status, forbidden.Error));
        Assert.True(added.Allowlisted);
        Assert.True(publicView.Allowlisted);
        Assert.Equal("a false positive", publicView.Allowlist!.Reason);
        Assert.Null(publicView.Allowlist.AddedBy);
        Assert.Equal("root", adminView.Allowlist!.AddedBy);
        var overridden = Assert.Single(publicView.Reputons);
        Assert.Equal((0.0, 1.0, true), (overridden.Rating, overridden.Confidence!.Value, overridden.Allowlisted));
        Assert.False(removed.Allowlisted);
        Assert.Equal(404, notListed.Status);
        Assert.Equal(1.0, Assert.Single((await anonymous.ReputationAsync("good.example")).Reputons).Rating);

        // Trust 0.25 for alice: her report of 1 now weighs 0.25 beside bob's 0 of weight 1.
        await alice.ReportAsync(new ReputationReport("weighed.example", "malware", 1));
        await bob.ReportAsync(new ReputationReport("weighed.example", "malware", 0));
        var set = await admin.SetTrustAsync("alice", 0.25);
        var levels = await admin.TrustAsync();
        var weighed = Assert.Single((await anonymous.ReputationAsync("weighed.example")).Reputons);
        var notAdmin = await Assert.ThrowsAsync<RepSecException>(() => bob.TrustAsync());

        Assert.Equal(("alice", 0.25), (set.Principal, set.Trust));
        Assert.Equal(1.0, levels.DefaultTrust);
        Assert.Equal(0.25, levels.Levels["alice"]);
        Assert.Equal(0.2, weighed.Rating);
        Assert.Equal(403, notAdmin.Status);
    }

    [Fact]
    public async Task Reporting_again_too_soon_is_a_429_with_retry_after()
    {
        await using var alice = await ConnectAsync(_alice);
        await alice.ReportAsync(new ReputationReport("eager.example", "spam", 0.9));

        var error = await Assert.ThrowsAsync<RepSecException>(() => alice.ReportAsync(new ReputationReport("eager.example", "spam", 1)));
        var otherAssertion = await alice.ReportAsync(new ReputationReport("eager.example", "malware", 1));

        Assert.Equal((429, "report_too_soon"), (error.Status, error.Error));
        Assert.InRange(error.RetryAfterSeconds!.Value, 3500, 3600);
        Assert.Equal("malware", otherAssertion.Assertion);
    }
}
