using System.Text.Json;
using RepSec.Client.Reputation;
using RepSec.Protocol.Writing;

namespace RepSec.Client.Wire;

// The reputation extension's answers.
internal static partial class ResultReader
{
    public static ReportResult Report(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            ResponseReader.String(response, ReputationNames.Assertion),
            ResponseReader.Int64(response, ReputationNames.ReportId),
            ResponseReader.Time(response, ReputationNames.ReportedAt),
            ResponseReader.Time(response, ReputationNames.Expires),
            ResponseReader.OptionalInt64(response, ReputationNames.Superseded),
            ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static WithdrawResult Withdraw(JsonElement response) =>
        new(ResponseReader.Int64(response, ReputationNames.ReportId), ResponseReader.Time(response, ReputationNames.WithdrawnAt), ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static ReputationResult Reputation(JsonElement response)
    {
        List<ReportInfo>? reports = null;
        if (ResponseReader.Optional(response, ReputationNames.Reports) is not null)
        {
            reports = [.. ResponseReader.Array(response, ReputationNames.Reports, required: true).Select(ReportInfo)];
        }

        var allowlisted = ResponseReader.Boolean(response, ReputationNames.Allowlisted);
        return new ReputationResult(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            allowlisted,
            AllowlistEntry(response, allowlisted),
            Reputons(response),
            reports)
        {
            Raw = response,
            Covering = ResponseReader.Optional(response, ReputationNames.Covering) is null ? []
                : [.. ResponseReader.Array(response, ReputationNames.Covering, required: true).Select(Reputation)],
        };
    }

    public static ChangesResult Changes(JsonElement response)
    {
        var cursor = ResponseReader.String(response, ReputationNames.Cursor);
        var changes = new List<ChangeEntry>();
        foreach (var change in ResponseReader.Array(response, ReputationNames.Changes, required: true))
        {
            var allowlisted = ResponseReader.Boolean(change, ReputationNames.Allowlisted);
            changes.Add(new ChangeEntry(
                ResponseReader.String(change, ResponseNames.Entity),
                ResponseReader.String(change, ResponseNames.Type),
                allowlisted,
                AllowlistEntry(change, allowlisted),
                Reputons(change),
                ResponseReader.Time(change, ReputationNames.ChangedAt))
            {
                Raw = change,
            });
        }

        if (changes.Count > 0)
        {
            changes[^1] = changes[^1] with { ResumeCursor = cursor };
        }

        return new ChangesResult(changes, cursor, ResponseReader.Boolean(response, ReputationNames.More)) { Raw = response };
    }

    public static AllowlistResult Allowlist(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            ResponseReader.Boolean(response, ReputationNames.Allowlisted),
            ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static TrustResult Trust(JsonElement response) =>
        new(ResponseReader.String(response, ReputationNames.Principal), ResponseReader.Double(response, ReputationNames.Trust), ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static TrustLevels TrustLevels(JsonElement response)
    {
        var levels = new Dictionary<string, double>(StringComparer.Ordinal);
        var members = ResponseReader.Object(response, ReputationNames.Levels);
        foreach (var member in members.EnumerateObject())
        {
            levels[member.Name] = ResponseReader.Double(members, JsonEncodedText.Encode(member.Name));
        }

        return new TrustLevels(ResponseReader.Double(response, ReputationNames.DefaultTrust), levels) { Raw = response };
    }

    private static List<Reputon> Reputons(JsonElement parent) =>
        [.. ResponseReader.Array(parent, ReputationNames.Reputons, required: true).Select(reputon => new Reputon(
            ResponseReader.String(reputon, ReputationNames.Rater),
            ResponseReader.String(reputon, ReputationNames.Assertion),
            ResponseReader.String(reputon, ReputationNames.Rated),
            ResponseReader.Double(reputon, ReputationNames.Rating),
            ResponseReader.OptionalDouble(reputon, ReputationNames.Confidence),
            ResponseReader.OptionalDouble(reputon, ReputationNames.NormalRating),
            ResponseReader.OptionalInt64(reputon, ReputationNames.SampleSize),
            ResponseReader.OptionalEpochSeconds(reputon, ReputationNames.Generated),
            ResponseReader.OptionalEpochSeconds(reputon, ReputationNames.Expires),
            ResponseReader.Optional(reputon, ReputationNames.RepSecAllowlisted) is not null && ResponseReader.Boolean(reputon, ReputationNames.RepSecAllowlisted))
        {
            Raw = reputon,
        })];

    private static AllowlistEntry? AllowlistEntry(JsonElement parent, bool allowlisted)
    {
        if (!allowlisted)
        {
            return null;
        }

        var entry = ResponseReader.Object(parent, ReputationNames.Allowlist);
        return new AllowlistEntry(
            ResponseReader.String(entry, ReputationNames.Reason), ResponseReader.Time(entry, ReputationNames.Since), ResponseReader.OptionalString(entry, ReputationNames.AddedBy));
    }

    private static ReportInfo ReportInfo(JsonElement report) =>
        new(
            ResponseReader.Int64(report, ReputationNames.ReportId),
            ResponseReader.String(report, ReputationNames.Assertion),
            ResponseReader.Double(report, ReputationNames.Rating),
            ResponseReader.Double(report, ReputationNames.Confidence),
            ResponseReader.Double(report, ReputationNames.Weight),
            ResponseReader.Strings(report, ReputationNames.Categories, required: false),
            ResponseReader.Time(report, ReputationNames.ReportedAt),
            ResponseReader.Time(report, ReputationNames.Expires),
            ResponseReader.OptionalString(report, ReputationNames.Reporter),
            ResponseReader.OptionalString(report, ReputationNames.Evidence));
}
