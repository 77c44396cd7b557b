using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RepSec.Cli.Import;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec export</c>: every entity with reputation and its reputons, read from the change feed from its start,
/// written as REPORT rows in the formats <c>repsec import</c> reads (CSV with a header, or JSON lines), so that an
/// export imported into another server reports what this one concludes: one row per reputon, its rating and
/// confidence. Allowlisted entities are left out (their reputons are the operator's override, not a judgement to
/// pass on); the protocol has no listing of registered entities, so REGISTER rows are not written.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor, TextWriter stdout, TextWriter stderr)
    {
        var format = new Option<string>("--format") { Description = "csv (default) or jsonl", DefaultValueFactory = _ => "csv", HelpName = "format" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--output") { Description = "Write to this file (default: standard output)", HelpName = "file" };
        var command = new Command("export", "Write every entity's reputons as REPORT rows that repsec import reads (CSV or JSON lines)") { format, output };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var json = parseResult.GetValue(format) == "jsonl";
            var path = parseResult.GetValue(output);
            return context.RunAsync(async (client, ct) =>
            {
                var writer = path is null ? stdout : new StreamWriter(path, append: false, new UTF8Encoding(false));
                long entities = 0, rows = 0;
                try
                {
                    if (!json)
                    {
                        await writer.WriteLineAsync("command,entity,type,assertion,rating,confidence");
                    }

                    string? cursor = null;
                    while (true)
                    {
                        var page = await client.ChangesAsync(cursor, 1000, ct);
                        foreach (var change in page.Changes)
                        {
                            if (change.Allowlisted)
                            {
                                continue;
                            }

                            entities++;
                            foreach (var reputon in change.Reputons)
                            {
                                rows++;
                                var confidence = reputon.Confidence ?? 1;
                                await writer.WriteLineAsync(json
                                    ? new JsonObject
                                    {
                                        ["command"] = "REPORT", ["entity"] = change.Entity, ["type"] = change.Type, ["assertion"] = reputon.Assertion,
                                        ["rating"] = reputon.Rating, ["confidence"] = confidence,
                                    }.ToJsonString()
                                    : string.Join(',', "REPORT", ImportRows.Quote(change.Entity), change.Type, reputon.Assertion,
                                        reputon.Rating.ToString("R", CultureInfo.InvariantCulture), confidence.ToString("R", CultureInfo.InvariantCulture)));
                            }
                        }

                        cursor = page.Cursor;
                        if (!page.More)
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    if (path is not null)
                    {
                        await writer.DisposeAsync();
                    }
                    else
                    {
                        await writer.FlushAsync(ct);
                    }
                }

                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"repsec export: {rows:N0} reputons of {entities:N0} entities"));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
