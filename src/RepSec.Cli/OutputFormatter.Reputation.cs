using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RepSec.Client.Reputation;

namespace RepSec.Cli;

// The reputation commands: reputons as a small table, one line per change of the feed.
internal sealed partial class OutputFormatter
{
    // Quotes, backslashes and control characters escaped; other text (accents, apostrophes) as it is.
    private static readonly JavaScriptEncoder Readable = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public Task ReportAsync(ReportResult result) => WriteAsync(result.Raw,
        $"reported {Entity(result.Entity, result.Type)} {result.Assertion}: report {Number(result.ReportId)}, expires {Time(result.Expires)}"
        + (result.Superseded is { } superseded ? $", supersedes report {Number(superseded)}" : ""));

    public Task WithdrawAsync(WithdrawResult result) => WriteAsync(result.Raw,
        $"withdrew report {Number(result.ReportId)} at {Time(result.WithdrawnAt)}, log index {Number(result.LogIndex)}");

    public Task ReputationAsync(ReputationResult result)
    {
        var text = new StringBuilder(Entity(result.Entity, result.Type));
        if (result.Allowlist is { } entry)
        {
            text.Append($": {Allowlisted(entry)}");
        }

        if (result.Reputons.Count == 0)
        {
            text.Append(result.Allowlist is null ? ": no reports count" : "; no reports count");
        }
        else
        {
            text.AppendLine();
            List<string[]> rows = [["assertion", "rating", "confidence", "sample-size", "normal-rating"]];
            rows.AddRange(result.Reputons.Select(r => new[]
            {
                r.Assertion, Rating(r.Rating), Optional(r.Confidence), r.SampleSize is { } n ? Number(n) : "-", Optional(r.NormalRating),
            }));
            AppendTable(text, rows);
        }

        foreach (var prefix in result.Covering)
        {
            text.AppendLine().Append($"covered by {prefix.Entity}: ")
                .Append(prefix.Allowlist is { } prefixEntry ? Allowlisted(prefixEntry)
                    : prefix.Reputons.Count == 0 ? "no reports count"
                    : string.Join(", ", prefix.Reputons.Select(r => $"{r.Assertion} {Rating(r.Rating)} (confidence {Optional(r.Confidence)}, {(r.SampleSize is { } n ? Number(n) : "-")} reports)")));
        }

        if (result.Reports is { } reports)
        {
            text.AppendLine().AppendLine().Append(CultureInfo.InvariantCulture, $"reports: {reports.Count}");
            if (reports.Count > 0)
            {
                text.AppendLine();
                AppendReports(text, reports);
            }
        }

        return WriteAsync(result.Raw, text.ToString());
    }

    /// <summary>One page: a line per change, then the cursor to continue from.</summary>
    public Task ChangesAsync(ChangesResult result)
    {
        var text = new StringBuilder();
        foreach (var change in result.Changes)
        {
            text.AppendLine(ChangeLine(change));
        }

        if (result.Changes.Count == 0)
        {
            text.AppendLine("no changes");
        }

        text.Append($"cursor: {result.Cursor}");
        if (result.More)
        {
            text.Append(" (more: run again with --cursor)");
        }

        return WriteAsync(result.Raw, text.ToString());
    }

    /// <summary>One change of a followed feed: its line, or its JSON object on one line.</summary>
    public Task ChangeAsync(ChangeEntry change) => WriteAsync(change.Raw, ChangeLine(change));

    public Task AllowlistAsync(AllowlistResult result) => WriteAsync(result.Raw, result.Allowlisted
        ? $"allowlisted {Entity(result.Entity, result.Type)}, log index {Number(result.LogIndex)}"
        : $"{Entity(result.Entity, result.Type)} is off the allowlist, log index {Number(result.LogIndex)}");

    public Task TrustAsync(TrustResult result) => WriteAsync(result.Raw,
        $"trust of {result.Principal} set to {Rating(result.Trust)}, log index {Number(result.LogIndex)}");

    public Task TrustLevelsAsync(TrustLevels result)
    {
        var text = new StringBuilder($"default trust: {Rating(result.DefaultTrust)}");
        if (result.Levels.Count == 0)
        {
            text.AppendLine().Append("no levels set");
        }
        else
        {
            text.AppendLine();
            List<string[]> rows = [["principal", "trust"]];
            rows.AddRange(result.Levels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new[] { l.Key, Rating(l.Value) }));
            AppendTable(text, rows);
        }

        return WriteAsync(result.Raw, text.ToString());
    }

    private static string ChangeLine(ChangeEntry change)
    {
        var text = new StringBuilder($"{Time(change.ChangedAt)}  {Entity(change.Entity, change.Type)}  ");
        text.Append(change.Reputons.Count == 0
            ? "no reports count"
            : string.Join("; ", change.Reputons.Select(r =>
                $"{r.Assertion} {Rating(r.Rating)} (confidence {Optional(r.Confidence)}, {(r.SampleSize is { } n ? Number(n) : "?")} {(r.SampleSize == 1 ? "report" : "reports")})")));
        if (change.Allowlist is { } entry)
        {
            text.Append($"  [{Allowlisted(entry)}]");
        }

        return text.ToString();
    }

    private static void AppendReports(StringBuilder text, IReadOnlyList<ReportInfo> reports)
    {
        List<string[]> rows = [["id", "assertion", "rating", "confidence", "weight", "reported", "expires", "reporter", "categories"]];
        rows.AddRange(reports.Select(r => new[]
        {
            Number(r.ReportId), r.Assertion, Rating(r.Rating), Rating(r.Confidence), Rating(r.Weight), Time(r.ReportedAt), Time(r.Expires),
            r.Reporter ?? "-", r.Categories.Count == 0 ? "-" : string.Join(',', r.Categories),
        }));
        AppendTable(text, rows);
        foreach (var report in reports)
        {
            if (report.Evidence is { } evidence)
            {
                // A JSON string, so evidence with newlines or control characters stays on its line.
                text.AppendLine().Append($"evidence of {Number(report.ReportId)}: \"{JsonEncodedText.Encode(evidence, Readable).Value}\"");
            }
        }
    }

    private static string Allowlisted(AllowlistEntry entry) =>
        $"allowlisted since {Time(entry.Since)}{(entry.AddedBy is { } by ? $" by {by}" : "")}: {entry.Reason}";

    /// <summary>Columns padded to their widest cell, two spaces apart; no trailing spaces or newline.</summary>
    private static void AppendTable(StringBuilder text, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var line = new StringBuilder();
            for (var i = 0; i < rows[r].Length; i++)
            {
                line.Append(i == rows[r].Length - 1 ? rows[r][i] : rows[r][i].PadRight(widths[i] + 2));
            }

            text.Append(line.ToString().TrimEnd());
            if (r < rows.Count - 1)
            {
                text.AppendLine();
            }
        }
    }

    private static string Rating(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Optional(double? value) => value is { } v ? Rating(v) : "-";
}
