using System.CommandLine;
using RepSec.Core.Reputation;
using RepSec.Core.Transparency;
using RepSec.Server.Hosting;

namespace RepSec.Server.Admin;

/// <summary><c>repsecd log verify</c>: an offline consistency check of the stored transparency log.</summary>
internal static class LogCommands
{
    public static Command Build()
    {
        var log = new Command("log", "Check the transparency log");
        var flags = new StoreFlags();
        var verify = new Command("verify", "Recompute every leaf and tree node, and check every stored row (entities, reports, aggregates, allowlist, trust, principals, tokens, certificates, passwords, contacts) against the log entry that set it (SQLite, or PostgreSQL with RepSec:Store); exit 1 on any mismatch");
        flags.AddTo(verify);
        verify.SetAction(parse =>
        {
            LogAuditReport report;
            try
            {
                var reputation = flags.Configuration(parse).GetSection("RepSec:Reputation").Get<ReputationOptions>() ?? new ReputationOptions();
                report = Stores.AuditLog(flags.ServerOptions(parse), reputation);
            }
            catch (UsageException exception)
            {
                Console.Error.WriteLine($"repsecd: {exception.Message}");
                return ExitCodes.Usage;
            }

            foreach (var problem in report.Problems)
            {
                Console.Error.WriteLine($"repsecd: {problem}");
            }

            var summary = $"{report.Entries} entries, root {Convert.ToBase64String(report.Root)}, {report.Records} registered records, {report.Reports} reports";
            if (!report.Verified)
            {
                Console.Error.WriteLine($"repsecd: LOG DOES NOT VERIFY ({summary})");
                return ExitCodes.Failed;
            }

            Console.Out.WriteLine($"log verified: {summary}");
            return 0;
        });
        log.Add(verify);
        return log;
    }
}
