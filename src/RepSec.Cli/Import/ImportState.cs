using System.Text.Json;
using System.Text.Json.Nodes;

namespace RepSec.Cli.Import;

/// <summary>
/// Where an import stands, kept in a state file beside the input (<c>FILE.state</c>) so an interrupted import resumes
/// where it stopped: which file (its length and last write time, so another file is not resumed by mistake), how many
/// rows from the start are finished (answered or refused), the highest row sent, and the counts so far. Rows after
/// the finished ones and up to the highest sent may have been applied before the interruption: on resume, an
/// <c>already_registered</c> or <c>report_too_soon</c> answer for one of them counts as accepted.
/// </summary>
internal sealed record ImportState(string File, long Length, long LastWrite, long Finished, long SentThrough, long Accepted, long Refused)
{
    public static ImportState? Load(string path, FileInfo input)
    {
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        var json = JsonNode.Parse(System.IO.File.ReadAllText(path)) as JsonObject
            ?? throw new FormatException($"{path} is not an import state file");
        var state = new ImportState(
            (string?)json["file"] ?? "", (long?)json["length"] ?? -1, (long?)json["last_write"] ?? -1, (long?)json["finished"] ?? 0,
            (long?)json["sent_through"] ?? 0, (long?)json["accepted"] ?? 0, (long?)json["refused"] ?? 0);
        return state.Length == input.Length && state.LastWrite == input.LastWriteTimeUtc.Ticks ? state
            : throw new FormatException($"{path} belongs to another version of {state.File} (its length or time changed); use --restart to import from the first row");
    }

    public void Save(string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteString("file", File);
            json.WriteNumber("length", Length);
            json.WriteNumber("last_write", LastWrite);
            json.WriteNumber("finished", Finished);
            json.WriteNumber("sent_through", SentThrough);
            json.WriteNumber("accepted", Accepted);
            json.WriteNumber("refused", Refused);
            json.WriteEndObject();
        });
}
