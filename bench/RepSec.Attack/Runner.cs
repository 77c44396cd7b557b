using System.Globalization;
using System.Text;

namespace RepSec.Attack;

/// <summary>One row of the report.</summary>
internal sealed record ScenarioResult(Scenario Scenario, GoodClient Good, Tally Tally, double? RssBefore, double? RssPeak, double? RssAfter);

/// <summary>Runs each scenario: attack ramps up for a second, the good client is measured, the attack stops, the server settles.</summary>
internal sealed class Runner(Net net, ServerMemory memory, TextWriter progress)
{
    private static readonly TimeSpan RampUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync($"{scenario.Name}: {scenario.Description}");
        var good = new GoodClient(net);
        var tally = new Tally();
        var before = memory.Rss();
        using var stopAttack = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSampling = new CancellationTokenSource();
        var peak = memory.PeakAsync(stopSampling.Token);
        // The good client connects before the attack starts, as a client already being served would be.
        await good.ConnectAsync(cancellationToken);
        var attack = scenario.Attack is null ? Task.CompletedTask : Task.Run(() => scenario.Attack(net, tally, stopAttack.Token), cancellationToken);
        await Task.Delay(scenario.Attack is null ? TimeSpan.Zero : RampUp, cancellationToken);
        await good.RunAsync(TimeSpan.FromSeconds(net.Settings.Seconds), cancellationToken);
        await stopAttack.CancelAsync();
        await attack;
        await stopSampling.CancelAsync();
        var peakRss = await peak;
        await Task.Delay(Settle, cancellationToken);
        await good.DisposeAsync();
        var result = new ScenarioResult(scenario, good, tally, before, peakRss, memory.Rss());
        await progress.WriteLineAsync($"  RepSec {good.RepSec.Summary()} ms ({good.RepSec.Errors} errors), RDAP {good.Rdap.Summary()} ms ({good.Rdap.Errors} errors); attack: {tally.Volume}; got: {tally.Outcomes}");
        return result;
    }

    public static string Table(IEnumerable<ScenarioResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| scenario | good RepSec p50 / p99 / max ms | good RDAP p50 / p99 / max ms | good errors (RepSec, RDAP) | attack volume | what the attacker got | server RSS MB before / peak / after |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            table.Append(CultureInfo.InvariantCulture,
                $"| {r.Scenario.Name} | {r.Good.RepSec.Summary()} | {r.Good.Rdap.Summary()} | {r.Good.RepSec.Errors}, {r.Good.Rdap.Errors} | {r.Tally.Volume} | {r.Tally.Outcomes} | {Mb(r.RssBefore)} / {Mb(r.RssPeak)} / {Mb(r.RssAfter)} |");
            table.AppendLine();
        }

        return table.ToString();
    }

    private static string Mb(double? value) => value is { } mb ? mb.ToString("F0", CultureInfo.InvariantCulture) : "-";
}
