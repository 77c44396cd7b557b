using System.Text.Json;
using RepSec.Protocol.Writing;

namespace RepSec.Client.Wire;

/// <summary>Turns successful responses into the typed results of each command.</summary>
internal static partial class ResultReader
{
    public static PingResult Ping(JsonElement response) =>
        new(ResponseReader.Time(response, ResponseNames.ServerTime)) { Raw = response };

    public static HelloResult Hello(JsonElement response)
    {
        var extensions = new List<ExtensionInfo>();
        foreach (var extension in ResponseReader.Array(response, ResponseNames.Extensions, required: false))
        {
            extensions.Add(new ExtensionInfo(
                ResponseReader.String(extension, ResponseNames.Name),
                ResponseReader.OptionalString(extension, ResponseNames.Version) ?? "",
                ResponseReader.Strings(extension, ResponseNames.Commands, required: false))
            {
                Origin = ResponseReader.OptionalString(extension, ResponseNames.Origin),
                LogKey = ResponseReader.OptionalString(extension, ResponseNames.LogKey),
                Rater = ResponseReader.OptionalString(extension, ReputationNames.Rater),
                Assertions = ResponseReader.Strings(extension, ReputationNames.Assertions, required: false),
            });
        }

        var limits = response.TryGetProperty("limits", out var value) ? value : default;
        return new HelloResult(
            ResponseReader.String(response, ResponseNames.Protocol),
            ResponseReader.Strings(response, ResponseNames.Commands, required: true),
            extensions,
            ResponseReader.OptionalInt32(limits, ResponseNames.MaxLineBytes),
            ResponseReader.OptionalInt32(limits, ResponseNames.MaxJsonDepth),
            ResponseReader.OptionalInt32(limits, ResponseNames.ReplayWindowSeconds),
            ResponseReader.Strings(response, ResponseNames.AuthMethods, required: false),
            ResponseReader.OptionalString(response, ResponseNames.Server))
        {
            Raw = response,
        };
    }

    public static RegisterResult Register(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            ResponseReader.Time(response, ResponseNames.RegisteredAt),
            ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static VerifyResult Verify(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            ResponseReader.Boolean(response, ResponseNames.Verified),
            ResponseReader.Time(response, ResponseNames.LastUpdated))
        {
            Raw = response,
        };

    public static RemoveResult Remove(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Entity),
            ResponseReader.String(response, ResponseNames.Type),
            ResponseReader.Time(response, ResponseNames.RemovedAt),
            ResponseReader.Int64(response, ResponseNames.LogIndex))
        {
            Raw = response,
        };

    public static AuditResult Audit(JsonElement response)
    {
        var entries = new List<AuditEntryInfo>();
        foreach (var entry in ResponseReader.Array(response, ResponseNames.Entries, required: true))
        {
            entries.Add(AuditEntry(entry));
        }

        return new AuditResult(ResponseReader.String(response, ResponseNames.Entity), ResponseReader.String(response, ResponseNames.Type), entries)
        {
            TreeSize = ResponseReader.OptionalInt64(response, ResponseNames.TreeSize),
            Checkpoint = ResponseReader.OptionalString(response, ResponseNames.Checkpoint),
            Raw = response,
        };
    }
}
