using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepSec.Client;
using RepSec.Core.Transparency;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Durability;

// The reputation half of the harness. Half of every writer's writes are REPORTs about a small shared set of
// unregistered entities, so that writers report the same entities and each often supersedes its own earlier report
// (the test process runs with ReportIntervalSeconds=0), and some are WITHDRAWs of its own counted reports. Each report
// carries a unique evidence string, by which a report in flight at a kill is found (or not) after the restart.
public sealed partial class CrashCycles
{
    private const int ReportedEntities = 12;

    // Aggregates are rounded to three decimals and decay (30-day half-life) over the run's minutes; the ledger's
    // undecayed means must agree to this.
    private const double AggregateTolerance = 0.002;

    private static readonly string[] Assertions = ["spam", "phishing", "trustworthy"];

    private readonly ConcurrentQueue<ReportEntry> _reports = new();

    // Each writer's counted report per entity and assertion: what it believes the server holds for it. Only its
    // writer changes it during a cycle, and only the check between cycles.
    private readonly Dictionary<(string Entity, string Assertion), ReportEntry>[] _voices =
        [.. Enumerable.Range(0, settings.Writers).Select(_ => new Dictionary<(string, string), ReportEntry>())];

    private string[] _tokens = [];
    private string _auditor = "";
    private long _reported;
    private long _superseding;
    private long _withdrawn;

    private static string Principal(int writer) => string.Create(CultureInfo.InvariantCulture, $"crash-w{writer}");

    private static string ReportedEntity(int index) => string.Create(CultureInfo.InvariantCulture, $"r{index}.reputation.crash.example");

    private ReportEntry[] EndedReports() => [.. _reports.Where(r => r.State is ReportState.Superseded or ReportState.Withdrawn)];

    /// <summary>One reputation write: a WITHDRAW of one of the writer's counted reports (one in three when it has any), else a REPORT.</summary>
    private async Task ReputationWriteAsync(
        RepSecClient client, int cycle, int writer, int step, Random random, ConcurrentBag<ReportEntry> ending, CancellationToken stop)
    {
        var voices = _voices[writer];
        if (voices.Count > 0 && random.Next(3) == 0)
        {
            var (key, withdrawing) = voices.ElementAt(random.Next(voices.Count));
            withdrawing.State = ReportState.Withdrawing;
            var withdrawn = await client.SendAsync(new JsonObject { ["command"] = "WITHDRAW", ["report"] = withdrawing.Id }, stop);
            withdrawing.State = ReportState.Withdrawn;
            voices.Remove(key);
            ending.Add(withdrawing);
            Interlocked.Increment(ref _withdrawn);
            if (withdrawn.GetProperty("report_id").GetInt64() != withdrawing.Id)
            {
                Problem($"cycle {cycle}, writer {writer}: WITHDRAW of report {withdrawing.Id} answered for report {withdrawn.GetProperty("report_id")}");
            }

            return;
        }

        var entity = ReportedEntity(random.Next(ReportedEntities));
        var assertion = Assertions[random.Next(Assertions.Length)];
        var evidence = string.Create(CultureInfo.InvariantCulture, $"crash c{cycle} w{writer} #{step}");
        voices.TryGetValue((entity, assertion), out var previous);
        var entry = new ReportEntry(writer, entity, assertion, random.Next(1001) / 1000.0, random.Next(1, 11) / 10.0, evidence) { Previous = previous };
        _reports.Enqueue(entry);
        voices[(entity, assertion)] = entry;
        var answer = await client.SendAsync(new JsonObject
        {
            ["command"] = "REPORT", ["entity"] = entity, ["type"] = "domain", ["assertion"] = assertion,
            ["rating"] = entry.Rating, ["confidence"] = entry.Confidence, ["evidence"] = evidence,
        }, stop);
        var id = answer.GetProperty("report_id").GetInt64();
        var superseded = answer.GetProperty("superseded");
        if (superseded.ValueKind == JsonValueKind.Number ? superseded.GetInt64() != previous?.Id : previous is not null)
        {
            Problem($"cycle {cycle}, writer {writer}: report {id} superseded {superseded}, but the writer's counted report was {previous?.Id}");
        }

        if (answer.GetProperty("log_index").GetInt64() != id || answer.Str("entity") != entity || answer.Str("assertion") != assertion)
        {
            Problem($"cycle {cycle}, writer {writer}: REPORT about {entity} ({assertion}) was answered with {answer}");
        }

        if (entry.Land(id, answer.Str("reported_at")) is { } replaced)
        {
            ending.Add(replaced);
            Interlocked.Increment(ref _superseding);
        }

        Interlocked.Increment(ref _reported);
    }

    /// <summary>
    /// Settles the reputation writes in flight at the kill, then checks every reported entity as an auditor: its
    /// counted reports are exactly the writers' counted reports, with the acknowledged content, and its reputons agree
    /// with them. Reports that stopped counting (superseded or withdrawn) must be refused by WITHDRAW as already withdrawn.
    /// </summary>
    private async Task CheckReputationAsync(NodeProcess node, int cycle, IReadOnlyCollection<ReportEntry> ended, CancellationToken cancellationToken)
    {
        var options = new RepSecClientOptions { CaCertificatePath = CaPath, Token = _auditor };
        var settledEnded = new List<ReportEntry>();
        var answers = new List<(string Entity, JsonElement Reputons, List<ReportEntry> Counted)>();
        await using (var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port, options, cancellationToken))
        {
            for (var i = 0; i < ReportedEntities; i++)
            {
                var entity = ReportedEntity(i);
                var answer = await client.SendAsync(
                    new JsonObject { ["command"] = "REPUTATION", ["entity"] = entity, ["type"] = "domain", ["reports"] = true }, cancellationToken);
                var listed = answer.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("report_id").GetInt64());
                answers.Add((entity, answer.GetProperty("reputons"), SettleReports(entity, listed, settledEnded, cycle)));
            }
        }

        // normal-rating is over every counted report of the assertion, on every entity.
        var norms = answers.SelectMany(a => a.Counted).GroupBy(r => r.Assertion).ToDictionary(g => g.Key, g => Mean(g));
        foreach (var (entity, reputons, counted) in answers)
        {
            CheckReputons(entity, reputons, counted, norms, cycle);
        }

        // Ended reports are probed after the cycle that ended them, and all of them again at the end.
        var probes = ended.Concat(settledEnded).ToList();
        await Task.WhenAll(probes.Chunk(Math.Max(1, (probes.Count + 3) / 4)).Select(async part =>
        {
            await using var client = await RepSecClient.ConnectAsync("127.0.0.1", node.Port, options, cancellationToken);
            foreach (var entry in part)
            {
                await ProbeEndedAsync(client, entry, cycle, cancellationToken);
            }
        }));
    }

    /// <summary>Settles the writers' in-flight reputation writes about <paramref name="entity"/> and returns its counted reports.</summary>
    private List<ReportEntry> SettleReports(string entity, Dictionary<long, JsonElement> listed, List<ReportEntry> settledEnded, int cycle)
    {
        var counted = new List<ReportEntry>();
        foreach (var voices in _voices)
        {
            foreach (var (key, entry) in voices.Where(v => v.Key.Entity == entity).ToList())
            {
                if (entry.State == ReportState.Reporting)
                {
                    // Whole: listed with its evidence, and the report it supersedes no longer counted. Absent: the
                    // earlier report still counts. Anything else is caught below as a counted report unaccounted for
                    // or an acknowledged one gone.
                    Interlocked.Increment(ref _inFlight);
                    if (listed.Values.FirstOrDefault(r => r.GetProperty("evidence").GetString() == entry.Evidence) is { ValueKind: JsonValueKind.Object } landed)
                    {
                        Interlocked.Increment(ref _landed);
                        if (entry.Land(landed.GetProperty("report_id").GetInt64(), landed.Str("reported_at")) is { } replaced)
                        {
                            settledEnded.Add(replaced);
                        }
                    }
                    else
                    {
                        entry.State = ReportState.NeverReported;
                        if (entry.Previous is { } previous)
                        {
                            voices[key] = previous;
                        }
                        else
                        {
                            voices.Remove(key);
                        }

                        entry.Previous = null;
                    }
                }
                else if (entry.State == ReportState.Withdrawing)
                {
                    Interlocked.Increment(ref _inFlight);
                    if (listed.ContainsKey(entry.Id))
                    {
                        entry.State = ReportState.Counted;
                    }
                    else
                    {
                        Interlocked.Increment(ref _landed);
                        entry.State = ReportState.Withdrawn;
                        voices.Remove(key);
                        settledEnded.Add(entry);
                    }
                }

                if (voices.TryGetValue(key, out var current))
                {
                    counted.Add(current);
                }
            }
        }

        foreach (var report in counted)
        {
            if (!listed.Remove(report.Id, out var shown))
            {
                Problem($"after kill {cycle}: report {report.Id} ({report.Assertion} about {entity} by {Principal(report.Writer)}) was acknowledged but no longer counts");
            }
            else if (!report.Matches(shown, Principal(report.Writer)))
            {
                Problem($"after kill {cycle}: report {report.Id} about {entity} is not what was acknowledged ({report}): {shown}");
            }
        }

        foreach (var (id, shown) in listed)
        {
            Problem($"after kill {cycle}: report {id} ({shown.Str("assertion")} about {entity} by {shown.Str("reporter")}) counts, " +
                    "but the settled writes left it superseded, withdrawn or never made");
        }

        return counted;
    }

    /// <summary>The entity's reputons: one per assertion with counted reports, whose sample-size, rating and confidence are the reports'.</summary>
    private void CheckReputons(
        string entity, JsonElement reputons, List<ReportEntry> counted, Dictionary<string, (double Rating, double Weight)> norms, int cycle)
    {
        var expected = counted.GroupBy(r => r.Assertion).ToDictionary(g => g.Key, g => (Count: g.Count(), Mean: Mean(g)));
        foreach (var reputon in reputons.EnumerateArray())
        {
            var assertion = reputon.Str("assertion");
            var size = reputon.GetProperty("sample-size").GetInt64();
            if (!expected.Remove(assertion, out var reports) || size != reports.Count)
            {
                Problem($"after kill {cycle}: {entity}'s {assertion} reputon has sample-size {size}, but {reports.Count} of its reports count");
                continue;
            }

            var rating = reputon.GetProperty("rating").GetDouble();
            var confidence = reputon.GetProperty("confidence").GetDouble();
            var normal = reputon.GetProperty("normal-rating").GetDouble();
            var weight = reports.Mean.Weight;
            if (Math.Abs(rating - reports.Mean.Rating) > AggregateTolerance || Math.Abs(confidence - (weight / (weight + 1))) > AggregateTolerance
                || Math.Abs(normal - norms[assertion].Rating) > AggregateTolerance)
            {
                Problem(string.Create(CultureInfo.InvariantCulture,
                    $"after kill {cycle}: {entity}'s {assertion} reputon (rating {rating}, confidence {confidence}, normal-rating {normal}) disagrees with its " +
                    $"{reports.Count} counted reports (rating {reports.Mean.Rating:0.###}, confidence {weight / (weight + 1):0.###}, normal-rating {norms[assertion].Rating:0.###})"));
            }
        }

        foreach (var (assertion, reports) in expected)
        {
            Problem($"after kill {cycle}: {entity} has no {assertion} reputon, but {reports.Count} of its reports count");
        }
    }

    /// <summary>The weighted mean rating and total weight (trust 1 times confidence, undecayed).</summary>
    private static (double Rating, double Weight) Mean(IEnumerable<ReportEntry> reports)
    {
        double weight = 0, weighted = 0;
        foreach (var report in reports)
        {
            weight += report.Confidence;
            weighted += report.Confidence * report.Rating;
        }

        return (weighted / weight, weight);
    }

    /// <summary>A superseded or withdrawn report no longer counts, so its reporter's WITHDRAW is 409 already_withdrawn.</summary>
    private async Task ProbeEndedAsync(RepSecClient client, ReportEntry entry, int cycle, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(new JsonObject { ["command"] = "WITHDRAW", ["report"] = entry.Id, ["auth"] = _tokens[entry.Writer] }, cancellationToken);
            Problem($"after kill {cycle}: report {entry.Id} was {entry.State}, yet its reporter withdrew it (again)");
        }
        catch (RepSecException exception) when (exception.Status != 409 || exception.Error != "already_withdrawn")
        {
            Problem($"after kill {cycle}: WITHDRAW of {entry.State} report {entry.Id} answered {exception.Status} {exception.Error}, not 409 already_withdrawn");
        }
        catch (RepSecException)
        {
        }
    }

    /// <summary>
    /// Checks the offline audit's report count (every stored report, each recomputed against its entry) against the
    /// ledger and returns the log entries reputation writes account for: one per report stored, one per withdrawal.
    /// </summary>
    private long CheckReportAudit(LogAuditReport audit)
    {
        var stored = _reports.Count(r => r.State is ReportState.Counted or ReportState.Superseded or ReportState.Withdrawn);
        var withdrawn = _reports.Count(r => r.State == ReportState.Withdrawn);
        if (audit.Reports != stored)
        {
            Problem($"{audit.Reports} reports are stored, but the acknowledged and settled writes made {stored}");
        }

        return stored + withdrawn;
    }
}
