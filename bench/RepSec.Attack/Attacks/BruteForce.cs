using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace RepSec.Attack.Attacks;

/// <summary>
/// Credential guessing as fast as answers come back: RepSec AUDIT with well-formed random bearer tokens, and RDAP
/// requests with Basic passwords for a real principal. One connection per attacker address (or all from one).
/// </summary>
internal static class BruteForce
{
    public static Task RepSecAsync(Net net, Tally tally, int addresses, IPAddress? only, CancellationToken stop) =>
        Pool.HoldAsync(addresses, slot => only ?? AttackSettings.AttackerAddress(slot),
            async (source, cancellationToken) => await net.TlsAsync(source, net.Settings.RepSecPort, Net.RepSecAlpn, cancellationToken),
            async (stream, started, cancellationToken) =>
            {
                var reader = new StreamReader(stream, leaveOpen: true);
                while (true)
                {
                    var token = $"rs_{RandomNumberGenerator.GetHexString(16, lowercase: true)}_{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 43)}";
                    var request = Encoding.UTF8.GetBytes($$"""{"command":"AUDIT","entity":"{{net.Settings.Domain}}","auth":"{{token}}"}""" + "\n");
                    await stream.WriteAsync(request, cancellationToken);
                    tally.Request();
                    tally.Sent(request.Length);
                    var answer = await reader.ReadLineAsync(cancellationToken);
                    if (answer is null)
                    {
                        return Ended.ClosedAfter(started);
                    }

                    tally.Outcome(Error(answer));
                }
            },
            tally, stop);

    public static async Task RdapAsync(Net net, Tally tally, int addresses, string principal, CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, addresses).Select(async slot =>
        {
            using var http = net.Http(AttackSettings.AttackerAddress(slot));
            while (!stop.IsCancellationRequested)
            {
                var guess = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{principal}:{RandomNumberGenerator.GetHexString(12)}"));
                using var request = new HttpRequestMessage(HttpMethod.Get, $"domain/{net.Settings.Domain}") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", guess) } };
                try
                {
                    tally.Request();
                    using var response = await http.SendAsync(request, stop);
                    tally.Outcome(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    tally.Outcome("failed");
                }
            }
        }));
    }

    private static string Error(string answer)
    {
        var at = answer.IndexOf("\"error\":\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return "no error";
        }

        var start = at + 9;
        return answer[start..answer.IndexOf('"', start)];
    }
}
