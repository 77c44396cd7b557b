using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using RepSec.Client.Reputation;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec report ENTITY --assertion A --rating R</c>: asserts something about an entity, with confidence,
/// categories, evidence and a lifetime.
/// </summary>
internal static partial class ReportCommand
{
    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var entity = EntityArguments.Entity("The entity reported, registered or not, such as example.com");
        var type = EntityArguments.Type(required: false);
        var assertion = new Option<string>("--assertion")
        {
            Description = "What is asserted: spam, malware, phishing, abuse, compromised, trustworthy, or one the server adds (hello lists them)",
            HelpName = "name",
            Required = true,
        };
        var rating = ReputationArguments.Unit("--rating", "How strongly the assertion holds, from 0 to 1 (1: the entity certainly does it)");
        rating.Required = true;
        var confidence = ReputationArguments.Unit("--confidence", "How sure you are, from 0 to 1 (default: 1)");
        var categories = new Option<string[]>("--category")
        {
            Description = "A lowercase token that classifies the report, such as botnet; repeat for more",
            HelpName = "token",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var evidence = new Option<string>("--evidence")
        {
            Description = "Text backing the report; only you, auditors and admins see it, until the server's retention purges it",
            HelpName = "text",
        };
        var evidenceFile = new Option<FileInfo>("--evidence-file") { Description = "Read the evidence from a UTF-8 file", HelpName = "file" };
        evidenceFile.AcceptExistingOnly();
        var expires = new Option<string>("--expires")
        {
            Description = "When the report stops counting: an RFC 3339 time, or a lifetime such as 30d or 12h (default: the server's)",
            HelpName = "when",
        };
        expires.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !TryParseExpiry(result.Tokens[0].Value, DateTimeOffset.UtcNow, out _))
            {
                result.AddError($"--expires expects an RFC 3339 time or a lifetime such as 30d or 12h, not '{result.Tokens[0].Value}'");
            }
        });
        var command = new Command("report", "Report an entity: assert spam, malware, phishing, ... with a rating (needs a token)")
        {
            entity, type, assertion, rating, confidence, categories, evidence, evidenceFile, expires,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(evidence) is not null && result.GetResult(evidenceFile) is not null)
            {
                result.AddError("--evidence and --evidence-file exclude each other");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var context = contextFor(parseResult);
            var report = new ReputationReport(parseResult.GetValue(entity)!, parseResult.GetValue(assertion)!, parseResult.GetValue(rating)!.Value)
            {
                Type = parseResult.GetValue(type),
                Confidence = parseResult.GetValue(confidence),
                Categories = parseResult.GetValue(categories) is { Length: > 0 } values ? values : null,
                Evidence = parseResult.GetValue(evidence),
                Expires = parseResult.GetValue(expires) is { } text && TryParseExpiry(text, DateTimeOffset.UtcNow, out var when) ? when : null,
            };
            return context.RunAsync(async (client, ct) =>
            {
                if (parseResult.GetValue(evidenceFile) is { } file)
                {
                    report = report with { Evidence = await ReadEvidenceAsync(file, ct) };
                }

                await context.Output.ReportAsync(await client.ReportAsync(report, ct));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    private static async Task<string> ReadEvidenceAsync(FileInfo file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"cannot read the evidence file {file.FullName}: {exception.Message}");
        }
    }

    /// <summary>An RFC 3339 time (with Z or an offset), or a whole number of days (<c>d</c>) or hours (<c>h</c>) from now.</summary>
    internal static bool TryParseExpiry(string text, DateTimeOffset now, out DateTimeOffset expires)
    {
        expires = default;
        if (text.Length > 1 && text[^1] is 'd' or 'h'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 100_000)
        {
            expires = text[^1] == 'd' ? now.AddDays(count) : now.AddHours(count);
            return true;
        }

        return Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out expires);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{1,7})?([Zz]|[+-]\d\d:\d\d)$")]
    private static partial Regex Rfc3339();
}
