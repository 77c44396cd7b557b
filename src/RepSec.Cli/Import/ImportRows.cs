using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RepSec.Cli.Import;

/// <summary>The two file formats <c>repsec import</c> reads and <c>repsec export</c> writes.</summary>
internal enum ImportFormat
{
    Csv,
    JsonLines,
}

/// <summary>
/// One data row of an import file: its number (the first data row is 1), its text as read, and either the request
/// it becomes or why it cannot be one.
/// </summary>
internal sealed record ImportRow(long Number, string Text, JsonObject? Request, string? Error);

/// <summary>
/// Reads import files row by row, streaming: CSV with a header (RFC 4180 quoting) or JSON lines. Columns or members:
/// <c>command</c> (<c>REGISTER</c> or <c>REPORT</c>), <c>entity</c>, <c>type</c>, and for REPORT <c>assertion</c>,
/// <c>rating</c>, optional <c>confidence</c>, <c>categories</c> (separated by <c>;</c> in CSV, an array in JSON),
/// <c>evidence</c> and <c>expires</c>. A row that cannot be a request is returned with its error, not thrown.
/// </summary>
internal static class ImportRows
{
    public static readonly string[] Columns = ["command", "entity", "type", "assertion", "rating", "confidence", "categories", "evidence", "expires"];

    public static ImportFormat FormatOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" or ".json" ? ImportFormat.JsonLines : ImportFormat.Csv;

    /// <summary>The file's data rows, in order; <paramref name="header"/> gets the CSV header line (empty for JSON lines).</summary>
    public static IEnumerable<ImportRow> Read(TextReader reader, ImportFormat format, Action<string> header)
    {
        string[]? columns = null;
        long number = 0;
        while (ReadRecord(reader, format) is { } text)
        {
            if (text.Length == 0 || (format == ImportFormat.Csv && text.StartsWith('#')))
            {
                continue;
            }

            if (format == ImportFormat.Csv && columns is null)
            {
                header(text);
                columns = [.. SplitCsv(text)!.Select(c => c.Trim().ToLowerInvariant())];
                if (columns.FirstOrDefault(c => !Columns.Contains(c)) is { } unknown)
                {
                    throw new FormatException($"the header names an unknown column '{unknown}' (columns: {string.Join(", ", Columns)})");
                }

                if (!columns.Contains("command") || !columns.Contains("entity"))
                {
                    throw new FormatException("the header must name at least the columns command and entity");
                }

                continue;
            }

            number++;
            yield return format == ImportFormat.Csv ? FromCsv(number, text, columns!) : FromJson(number, text);
        }
    }

    private static ImportRow FromCsv(long number, string text, string[] columns)
    {
        var fields = SplitCsv(text);
        if (fields is null)
        {
            return new ImportRow(number, text, null, "malformed CSV (an unterminated or misplaced quote)");
        }

        if (fields.Count != columns.Length)
        {
            return new ImportRow(number, text, null, $"{fields.Count} fields where the header names {columns.Length}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            if (fields[i].Length > 0)
            {
                values[columns[i]] = fields[i];
            }
        }

        return Build(number, text, name => values.GetValueOrDefault(name), name => values.TryGetValue(name, out var list) ? list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null);
    }

    private static ImportRow FromJson(long number, string text)
    {
        JsonObject row;
        try
        {
            row = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException exception)
        {
            return new ImportRow(number, text, null, $"malformed JSON: {exception.Message}");
        }

        if (row.Select(m => m.Key).FirstOrDefault(k => !Columns.Contains(k)) is { } unknown)
        {
            return new ImportRow(number, text, null, $"unknown member '{unknown}'");
        }

        string? Text(string name) => row[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonValue value when value.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
            _ => "\u0000",
        };

        string[]? List(string name) => row[name] switch
        {
            null => null,
            JsonArray array when array.All(i => i is JsonValue v && v.TryGetValue<string>(out _)) => [.. array.Select(i => i!.GetValue<string>())],
            _ => ["\u0000"],
        };

        return Build(number, text, Text, List);
    }

    /// <summary>The request a row's values make, or the row with why they cannot make one.</summary>
    private static ImportRow Build(long number, string text, Func<string, string?> value, Func<string, string[]?> list)
    {
        ImportRow Refuse(string why) => new(number, text, null, why);
        var command = value("command")?.ToUpperInvariant();
        var entity = value("entity");
        if (command is not ("REGISTER" or "REPORT"))
        {
            return Refuse(command is null ? "no command (REGISTER or REPORT)" : $"unknown command '{value("command")}' (REGISTER or REPORT)");
        }

        if (string.IsNullOrEmpty(entity) || entity.Contains('\u0000'))
        {
            return Refuse("no entity");
        }

        var request = new JsonObject { ["command"] = command, ["entity"] = entity };
        if (value("type") is { } type)
        {
            request["type"] = type;
        }
        else if (command == "REGISTER")
        {
            return Refuse("REGISTER needs a type (domain, ip, asn, userid or organization)");
        }

        if (command == "REGISTER")
        {
            return value("assertion") is null && value("rating") is null ? new ImportRow(number, text, request, null) : Refuse("a REGISTER row has no assertion or rating");
        }

        if (value("assertion") is not { Length: > 0 } assertion || assertion.Contains('\u0000'))
        {
            return Refuse("REPORT needs an assertion");
        }

        request["assertion"] = assertion;
        foreach (var (name, required) in new[] { ("rating", true), ("confidence", false) })
        {
            if (value(name) is not { } numberText)
            {
                if (required)
                {
                    return Refuse($"REPORT needs a {name} from 0 to 1");
                }

                continue;
            }

            if (!double.TryParse(numberText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var unit) || unit is < 0 or > 1)
            {
                return Refuse($"{name} '{numberText}' is not a number from 0 to 1");
            }

            request[name] = unit;
        }

        if (list("categories") is { } categories)
        {
            if (categories.Contains("\u0000"))
            {
                return Refuse("categories must be strings");
            }

            request["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]);
        }

        foreach (var name in new[] { "evidence", "expires" })
        {
            if (value(name) is { } member)
            {
                if (member.Contains('\u0000'))
                {
                    return Refuse($"{name} must be a string");
                }

                request[name] = member;
            }
        }

        return new ImportRow(number, text, request, null);
    }

    /// <summary>
    /// The next record: for CSV a line, joined with the following ones while a quoted field is open (RFC 4180 lets
    /// a quoted field hold line breaks); for JSON lines a line. Null at the end.
    /// </summary>
    private static string? ReadRecord(TextReader reader, ImportFormat format)
    {
        var line = reader.ReadLine();
        if (line is null || format == ImportFormat.JsonLines)
        {
            return line;
        }

        var record = new StringBuilder(line);
        while (line is not null && QuotesOpen(record))
        {
            line = reader.ReadLine();
            if (line is not null)
            {
                record.Append('\n').Append(line);
            }
        }

        return record.ToString();
    }

    private static bool QuotesOpen(StringBuilder text)
    {
        var open = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                open = !open;
            }
        }

        return open;
    }

    /// <summary>RFC 4180 fields: commas separate, a quoted field may hold commas, quotes (doubled) and line breaks. Null when malformed.</summary>
    public static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    return null;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        return null;
                    }

                    field.Append(line[i++]);
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }

    /// <summary>A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
