using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RepSec.Client.Reputation;
using RepSec.Client.Wire;

namespace RepSec.Client;

// The reputation extension's commands. Reads send the token when there is one: reporters and evidence are shown
// to their reporter, auditors and admins only.
public sealed partial class RepSecClient
{
    /// <summary>
    /// REPORT: asserts something about an entity, registered or not. The report replaces your earlier one about the
    /// same entity and assertion; a second report within the server's interval fails with 429 <c>report_too_soon</c>
    /// and <see cref="RepSecException.RetryAfterSeconds"/>.
    /// </summary>
    /// <param name="report">The entity, assertion, rating and the optional members.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<ReportResult> ReportAsync(ReputationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.Entity, nameof(report));
        ArgumentException.ThrowIfNullOrEmpty(report.Assertion, nameof(report));
        EnsureUnit(report.Rating, nameof(report.Rating));
        var request = EntityRequest("REPORT", report.Entity, report.Type, authenticated: true);
        request["assertion"] = report.Assertion;
        request["rating"] = report.Rating;
        if (report.Confidence is { } confidence)
        {
            EnsureUnit(confidence, nameof(report.Confidence));
            request["confidence"] = confidence;
        }

        if (report.Categories is { } categories)
        {
            request["categories"] = new JsonArray([.. categories.Select(c => JsonValue.Create(c))]);
        }

        if (report.Evidence is { } evidence)
        {
            request["evidence"] = evidence;
        }

        if (report.Expires is { } expires)
        {
            request["expires"] = RequestWriter.Time(expires);
        }

        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Report(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>WITHDRAW: takes back a report; only its reporter or an admin may.</summary>
    /// <param name="reportId">The id REPORT answered.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<WithdrawResult> WithdrawAsync(long reportId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reportId);
        var request = AuthenticatedRequest("WITHDRAW");
        request["report"] = reportId;
        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Withdraw(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>REPUTATION: an entity's reputons, one per assertion reported. Anonymous callers may ask.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="reports">Also list the reports that count, newest first.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<ReputationResult> ReputationAsync(
        string entity, string? type = null, bool reports = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        var request = EntityRequest("REPUTATION", entity, type, authenticated: true);
        if (reports)
        {
            request["reports"] = true;
        }

        return ResultReader.Reputation(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>CHANGES: one page of the feed of entities whose reputation changed. Anonymous callers may ask.</summary>
    /// <param name="cursor">The cursor the previous page answered; <see langword="null"/> or empty reads from the start.</param>
    /// <param name="limit">Entities per page, 1 to 1000; the server's default (100) when omitted.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<ChangesResult> ChangesAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var request = AuthenticatedRequest("CHANGES");
        if (!string.IsNullOrEmpty(cursor))
        {
            request["cursor"] = cursor;
        }

        if (limit is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(limit));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000, nameof(limit));
            request["limit"] = count;
        }

        return ResultReader.Changes(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>
    /// Follows the change feed: reads pages while the server has more, then asks again every
    /// <paramref name="pollInterval"/>, until cancelled. Store an entry's <see cref="ChangeEntry.ResumeCursor"/>
    /// once you have handled it to resume from there later. Keep the interval below the server's idle timeout
    /// (300 s by default), or the server closes the connection between polls.
    /// </summary>
    /// <param name="cursor">Where to start: a cursor a page answered, or <see langword="null"/> for the start of the feed.</param>
    /// <param name="pollInterval">How long to wait after a page with nothing more behind it.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public async IAsyncEnumerable<ChangeEntry> FollowChangesAsync(
        string? cursor, TimeSpan pollInterval, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        while (true)
        {
            var page = await ChangesAsync(cursor, cancellationToken: cancellationToken);
            foreach (var change in page.Changes)
            {
                yield return change;
            }

            cursor = page.Cursor;
            if (!page.More)
            {
                await Task.Delay(pollInterval, _time, cancellationToken);
            }
        }
    }

    /// <summary>ALLOWLIST add (admins): the entity's negative assertions no longer hold, whatever is reported.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="reason">Why; shown with the entity's reputation.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public Task<AllowlistResult> AllowlistAddAsync(string entity, string reason, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return AllowlistAsync(entity, type, "add", reason, cancellationToken);
    }

    /// <summary>ALLOWLIST remove (admins): the reports count again; 404 when the entity is not on the allowlist.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="type">The entity type; may be omitted when the entity string is unambiguous.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public Task<AllowlistResult> AllowlistRemoveAsync(string entity, string? type = null, CancellationToken cancellationToken = default) =>
        AllowlistAsync(entity, type, "remove", reason: null, cancellationToken);

    /// <summary>TRUST (admins): the trust levels set for reporters, and the default for the others.</summary>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<TrustLevels> TrustAsync(CancellationToken cancellationToken = default)
    {
        var request = AuthenticatedRequest("TRUST");
        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.TrustLevels(await ExchangeAsync(request, cancellationToken));
    }

    /// <summary>TRUST (admins): sets a reporter's trust; every report of theirs that counts is reweighted at once.</summary>
    /// <param name="principal">The reporter.</param>
    /// <param name="trust">From 0 (their reports no longer count) to 1.</param>
    /// <param name="cancellationToken">Cancels waiting for the response.</param>
    public async Task<TrustResult> SetTrustAsync(string principal, double trust, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        EnsureUnit(trust, nameof(trust));
        var request = AuthenticatedRequest("TRUST");
        request["principal"] = principal;
        request["trust"] = trust;
        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Trust(await ExchangeAsync(request, cancellationToken));
    }

    private async Task<AllowlistResult> AllowlistAsync(
        string entity, string? type, string action, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        var request = EntityRequest("ALLOWLIST", entity, type, authenticated: true);
        request["action"] = action;
        if (reason is not null)
        {
            request["reason"] = reason;
        }

        RequestWriter.AddReplayFields(request, _time);
        return ResultReader.Allowlist(await ExchangeAsync(request, cancellationToken));
    }

    private JsonObject AuthenticatedRequest(string command)
    {
        var request = Request(command);
        if (_options.Token is { } token)
        {
            request["auth"] = token;
        }

        return request;
    }

    private static void EnsureUnit(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a number from 0 to 1");
        }
    }
}
