using System.Text.Json;

namespace RepSec.Client.Wire;

/// <summary>Turns successful responses into the typed results of each command.</summary>
internal static partial class ResultReader
{
    public static PingResult Ping(JsonElement response) =>
        new(ResponseReader.Time(response, "server_time")) { Raw = response };

    public static HelloResult Hello(JsonElement response)
    {
        var extensions = new List<ExtensionInfo>();
        foreach (var extension in ResponseReader.Array(response, "extensions", required: false))
        {
            extensions.Add(new ExtensionInfo(
                ResponseReader.String(extension, "name"),
                ResponseReader.OptionalString(extension, "version") ?? "",
                ResponseReader.Strings(extension, "commands", required: false))
            {
                Origin = ResponseReader.OptionalString(extension, "origin"),
                LogKey = ResponseReader.OptionalString(extension, "log_key"),
                Rater = ResponseReader.OptionalString(extension, "rater"),
                Assertions = ResponseReader.Strings(extension, "assertions", required: false),
            });
        }

        var limits = response.TryGetProperty("limits", out var value) ? value : default;
        return new HelloResult(
            ResponseReader.String(response, "protocol"),
            ResponseReader.Strings(response, "commands", required: true),
            extensions,
            ResponseReader.OptionalInt32(limits, "max_line_bytes"),
            ResponseReader.OptionalInt32(limits, "max_json_depth"),
            ResponseReader.OptionalInt32(limits, "replay_window_seconds"),
            ResponseReader.Strings(response, "auth_methods", required: false),
            ResponseReader.OptionalString(response, "server"))
        {
            Raw = response,
        };
    }

    public static RegisterResult Register(JsonElement response) =>
        new(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            ResponseReader.Time(response, "registered_at"),
            ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static VerifyResult Verify(JsonElement response) =>
        new(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            ResponseReader.Boolean(response, "verified"),
            ResponseReader.Time(response, "last_updated"))
        {
            Raw = response,
        };

    public static RemoveResult Remove(JsonElement response) =>
        new(
            ResponseReader.String(response, "entity"),
            ResponseReader.String(response, "type"),
            ResponseReader.Time(response, "removed_at"),
            ResponseReader.Int64(response, "log_index"))
        {
            Raw = response,
        };

    public static AuditResult Audit(JsonElement response)
    {
        var entries = new List<AuditEntryInfo>();
        foreach (var entry in ResponseReader.Array(response, "entries", required: true))
        {
            entries.Add(AuditEntry(entry));
        }

        return new AuditResult(ResponseReader.String(response, "entity"), ResponseReader.String(response, "type"), entries)
        {
            TreeSize = ResponseReader.OptionalInt64(response, "tree_size"),
            Checkpoint = ResponseReader.OptionalString(response, "checkpoint"),
            Raw = response,
        };
    }
}
