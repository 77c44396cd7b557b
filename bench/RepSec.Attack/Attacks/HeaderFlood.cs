using System.Globalization;

namespace RepSec.Attack.Attacks;

/// <summary>
/// RDAP requests with hostile headers, each on a fresh connection: 150 headers, a 40 KB header, a 100 KB
/// Authorization and a 16 KB one (past the authenticator's limit but within Kestrel's).
/// </summary>
internal static class HeaderFlood
{
    private static readonly string[] Variants =
    [
        string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Flood-{i}: {i}\r\n")),
        $"X-Big: {new string('a', 40_000)}\r\n",
        $"Authorization: Basic {new string('A', 100_000)}\r\n",
        $"Authorization: Bearer {new string('A', 16_000)}\r\n",
    ];

    public static async Task RunAsync(Net net, Tally tally, int workers, CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var source = AttackSettings.AttackerAddress(worker);
            for (var i = worker; !stop.IsCancellationRequested; i++)
            {
                var headers = Variants[i % Variants.Length];
                try
                {
                    tally.Attempted();
                    tally.Request();
                    tally.Sent(headers.Length);
                    var status = await net.RawHttpAsync(source, "GET", $"/rdap/domain/{net.Settings.Domain}", headers, stop);
                    tally.Outcome(status == 0 ? "closed without answer" : status.ToString(CultureInfo.InvariantCulture));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception exception) when (Pool.IsNetwork(exception))
                {
                    tally.Outcome("connection failed");
                }
            }
        }));
    }
}
