using System.Text.Json;
using RepSec.Client.Reputation;

namespace RepSec.Client.Wire;

// The reputation extension's answers.
internal static partial class ResultReader
{
    public static ReportResult Report(JsonElement response) =>
        new(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            ResponseReader.String(response, "assertion"),
            ResponseReader.Int64(response, "report_id"),
            ResponseReader.Time(response, "reported_at"),
            ResponseReader.Time(response, "expires"),
            ResponseReader.OptionalInt64(response, "superseded"),
            ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static WithdrawResult Withdraw(JsonElement response) =>
        new(ResponseReader.Int64(response, "report_id"), ResponseReader.Time(response, "withdrawn_at"), ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static ReputationResult Reputation(JsonElement response)
    {
        List<ReportInfo>? reports = null;
        if (ResponseReader.Optional(response, "reports") is not null)
        {
            reports = [.. ResponseReader.Array(response, "reports", required: true).Select(ReportInfo)];
        }

        var allowlisted = ResponseReader.Boolean(response, "allowlisted");
        return new ReputationResult(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            allowlisted,
            AllowlistEntry(response, allowlisted),
            Reputons(response),
            reports)
        {
            Raw = response,
        };
    }

    public static ChangesResult Changes(JsonElement response)
    {
        var cursor = ResponseReader.String(response, "cursor");
        var changes = new List<ChangeEntry>();
        foreach (var change in ResponseReader.Array(response, "changes", required: true))
        {
            var allowlisted = ResponseReader.Boolean(change, "allowlisted");
            changes.Add(new ChangeEntry(
                ResponseReader.String(change, "entity"),
                ResponseReader.String(change, "type"),
                allowlisted,
                AllowlistEntry(change, allowlisted),
                Reputons(change),
                ResponseReader.Time(change, "changed_at"))
            {
                Raw = change,
            });
        }

        if (changes.Count > 0)
        {
            changes[^1] = changes[^1] with { ResumeCursor = cursor };
        }

        return new ChangesResult(changes, cursor, ResponseReader.Boolean(response, "more")) { Raw = response };
    }

    public static AllowlistResult Allowlist(JsonElement response) =>
        new(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            ResponseReader.Boolean(response, "allowlisted"),
            ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static TrustResult Trust(JsonElement response) =>
        new(ResponseReader.String(response, "principal"), ResponseReader.Double(response, "trust"), ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static TrustLevels TrustLevels(JsonElement response)
    {
        var levels = new Dictionary<string, double>(StringComparer.Ordinal);
        var members = ResponseReader.Object(response, "levels");
        foreach (var member in members.EnumerateObject())
        {
            levels[member.Name] = ResponseReader.Double(members, member.Name);
        }

        return new TrustLevels(ResponseReader.Double(response, "default_trust"), levels) { Raw = response };
    }

    private static List<Reputon> Reputons(JsonElement parent) =>
        [.. ResponseReader.Array(parent, "reputons", required: true).Select(reputon => new Reputon(
            ResponseReader.String(reputon, "rater"),
            ResponseReader.String(reputon, "assertion"),
            ResponseReader.String(reputon, "rated"),
            ResponseReader.Double(reputon, "rating"),
            ResponseReader.OptionalDouble(reputon, "confidence"),
            ResponseReader.OptionalDouble(reputon, "normal-rating"),
            ResponseReader.OptionalInt64(reputon, "sample-size"),
            ResponseReader.OptionalEpochSeconds(reputon, "generated"),
            ResponseReader.OptionalEpochSeconds(reputon, "expires"),
            ResponseReader.Optional(reputon, "repsec-allowlisted") is not null && ResponseReader.Boolean(reputon, "repsec-allowlisted"))
        {
            Raw = reputon,
        })];

    private static AllowlistEntry? AllowlistEntry(JsonElement parent, bool allowlisted)
    {
        if (!allowlisted)
        {
            return null;
        }

        var entry = ResponseReader.Object(parent, "allowlist");
        return new AllowlistEntry(
            ResponseReader.String(entry, "reason"), ResponseReader.Time(entry, "since"), ResponseReader.OptionalString(entry, "added_by"));
    }

    private static ReportInfo ReportInfo(JsonElement report) =>
        new(
            ResponseReader.Int64(report, "report_id"),
            ResponseReader.String(report, "assertion"),
            ResponseReader.Double(report, "rating"),
            ResponseReader.Double(report, "confidence"),
            ResponseReader.Double(report, "weight"),
            ResponseReader.Strings(report, "categories", required: false),
            ResponseReader.Time(report, "reported_at"),
            ResponseReader.Time(report, "expires"),
            ResponseReader.OptionalString(report, "reporter"),
            ResponseReader.OptionalString(report, "evidence"));
}
