using System.CommandLine;
using RepSec.Cli.Import;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec import FILE</c>: REGISTER and REPORT rows from a CSV (with a header) or JSON lines file, pipelined over
/// one or more connections, resumable, with refused rows and their reasons written to a file.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor, TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "CSV with a header (columns command, entity, type, assertion, rating, confidence, categories, evidence, expires) or JSON lines with those members",
        };
        file.AcceptExistingOnly();
        var format = new Option<string?>("--format")
        {
            Description = "csv or jsonl (default: from the extension: .jsonl, .ndjson and .json are JSON lines, anything else CSV)",
            HelpName = "format",
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var connections = new Option<int>("--connections")
        {
            Description = "Connections to send over (default 32): the server answers each connection's requests in turn, so writes overlap across connections",
            DefaultValueFactory = _ => 32,
            HelpName = "n",
        };
        var window = new Option<int>("--window") { Description = "Requests sent ahead on each connection (default 16)", DefaultValueFactory = _ => 16, HelpName = "n" };
        var state = new Option<string?>("--state") { Description = "Where the import keeps its place, for a resume (default FILE.state)", HelpName = "file" };
        var refused = new Option<string?>("--refused") { Description = "Where refused rows go, each with why (default FILE.refused)", HelpName = "file" };
        var restart = new Option<bool>("--restart") { Description = "Ignore a state file and import from the first row" };
        foreach (var (option, maximum) in new[] { (connections, 64), (window, 10_000) })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is var value && (value < 1 || value > maximum))
                {
                    result.AddError($"{option.Name} is 1 to {maximum}");
                }
            });
        }

        var command = new Command("import", "Register and report entities in bulk from a CSV or JSON lines file (needs a token); Ctrl+C stops, the same command resumes")
        {
            file, format, connections, window, state, refused, restart,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(file)!;
            var kind = parseResult.GetValue(format) switch
            {
                "csv" => ImportFormat.Csv,
                "jsonl" => ImportFormat.JsonLines,
                _ => ImportRows.FormatOf(input.Name),
            };
            var context = contextFor(parseResult);
            var run = new ImportRun(context, input, kind, parseResult.GetValue(connections), parseResult.GetValue(window),
                parseResult.GetValue(state) ?? input.FullName + ".state", parseResult.GetValue(refused) ?? input.FullName + ".refused",
                parseResult.GetValue(restart), stdout, stderr);
            return context.RunAsync(run.RunAsync, cancellationToken);
        });
        return command;
    }
}
