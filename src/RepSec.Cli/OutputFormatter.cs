using System.Globalization;
using System.Text.Json;
using System.Text;
using RepSec.Cli.Transparency;
using RepSec.Client.Transparency;
using RepSec.Client;
using RepSec.Protocol.Parsing;
using RepSec.Protocol.Transparency;

namespace RepSec.Cli;

/// <summary>Writes results to stdout: one line of the server's JSON with --json, short human text otherwise.</summary>
internal sealed partial class OutputFormatter(TextWriter stdout, bool json)
{
    public Task PingAsync(PingResult result, TimeSpan roundTrip) => WriteAsync(result.Raw,
        $"PONG (server time {Time(result.ServerTime)}, {roundTrip.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms)");

    public Task HelloAsync(HelloResult result)
    {
        var text = new StringBuilder()
            .AppendLine($"protocol: {result.Protocol}")
            .AppendLine($"commands: {string.Join(", ", result.Commands)}")
            .AppendLine($"extensions: {(result.Extensions.Count == 0 ? "none" : string.Join("; ", result.Extensions.Select(Extension)))}")
            .AppendLine(CultureInfo.InvariantCulture,
                $"limits: max line {result.MaxLineBytes} bytes, max JSON depth {result.MaxJsonDepth}, replay window {result.ReplayWindowSeconds} s")
            .Append($"auth methods: {(result.AuthMethods.Count == 0 ? "none" : string.Join(", ", result.AuthMethods))}");
        if (result.Server is not null)
        {
            text.AppendLine().Append($"server: {result.Server}");
        }

        return WriteAsync(result.Raw, text.ToString());
    }

    public Task RegisterAsync(RegisterResult result) => WriteAsync(result.Raw,
        $"registered {Entity(result.Entity, result.Type)} at {Time(result.RegisteredAt)}, log index {Number(result.LogIndex)}");

    public Task VerifyAsync(VerifyResult result) => WriteAsync(result.Raw,
        $"{Entity(result.Entity, result.Type)}: {(result.Verified ? "verified" : "NOT verified")}, last updated {Time(result.LastUpdated)}");

    public Task RemoveAsync(RemoveResult result) => WriteAsync(result.Raw,
        $"removed {Entity(result.Entity, result.Type)} at {Time(result.RemovedAt)}, log index {Number(result.LogIndex)}");

    public Task AuditAsync(AuditResult result) => WriteAsync(result.Raw, AuditText(result, included: false).ToString());

    /// <summary>The history with each entry marked included, the checkpoint it was checked against, and the consistency check.</summary>
    public Task VerifiedAuditAsync(AuditResult result, AuditVerification verification, Checkpoint? previous)
    {
        var count = verification.Included.Count;
        var checkpoint = verification.Checkpoint!;
        var text = AuditText(result, included: true).AppendLine()
            .Append($"verified {Number(count)} {(count == 1 ? "entry" : "entries")} against checkpoint {checkpoint.Origin} {LogMonitor.Describe(checkpoint)}");
        if (previous is not null)
        {
            text.AppendLine().Append($"consistent with the saved checkpoint: size {Number(previous.Size)} -> {Number(checkpoint.Size)}");
        }

        return WriteAsync(result.Raw, text.ToString());
    }

    /// <summary>The signed note itself, which is the evidence; it ends with a newline already.</summary>
    public Task CheckpointAsync(CheckpointResult result) => json ? stdout.WriteLineAsync(result.Raw.GetRawText()) : stdout.WriteAsync(result.Checkpoint);

    public Task WatchAsync(CheckpointResult result, Checkpoint? previous, Checkpoint latest) => WriteAsync(result.Raw, previous is null
        ? $"saved checkpoint {latest.Origin} {LogMonitor.Describe(latest)} (no earlier checkpoint to compare)"
        : $"consistent: size {Number(previous.Size)} -> {Number(latest.Size)} (root {Convert.ToBase64String(latest.Root)})");

    /// <summary>With --json, an error response is printed too, so scripts see the whole answer.</summary>
    public async Task ErrorResponseAsync(RepSecException exception)
    {
        if (json && exception.Response is { } response)
        {
            await stdout.WriteLineAsync(response.GetRawText());
        }
    }

    public static string Describe(RepSecException exception)
    {
        var text = new StringBuilder(exception.Status is 0 or 200
            ? $"repsec: invalid response from the server: {exception.Message}"
            : $"repsec: {Number(exception.Status)} {exception.Error}: {exception.Message}");
        if (exception.RetryAfterSeconds is { } seconds)
        {
            text.Append($"; retry after {Number(seconds)} s");
        }

        if (exception.ServerTime is { } serverTime)
        {
            text.Append($"; server time {Time(serverTime)}");
        }

        return text.ToString();
    }

    public static string Time(DateTimeOffset time) => Rfc3339.Format(time);

    private Task WriteAsync(JsonElement raw, string text) => stdout.WriteLineAsync(json ? raw.GetRawText() : text);

    private static StringBuilder AuditText(AuditResult result, bool included)
    {
        var count = result.Entries.Count;
        var text = new StringBuilder($"audit of {Entity(result.Entity, result.Type)}: {Number(count)} {(count == 1 ? "entry" : "entries")}");
        foreach (var entry in result.Entries)
        {
            text.AppendLine().Append($"#{Number(entry.LogIndex)}  {Time(entry.Time)}  {entry.Action,-8}  {entry.Actor ?? "-"}");
            if (included)
            {
                text.Append($"  included at index {Number(entry.LogIndex)}");
            }
        }

        return text;
    }

    private static string Entity(string entity, string type) => $"{entity} ({type})";

    private static string Extension(ExtensionInfo extension) =>
        $"{extension.Name}/{extension.Version} ({string.Join(", ", extension.Commands)}{(extension.LogKey is { } key ? $"; log key {key}" : "")}"
        + $"{(extension.Assertions.Count > 0 ? $"; assertions {string.Join(", ", extension.Assertions)}" : "")})";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
