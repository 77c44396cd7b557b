using RepSec.Attack.Attacks;

namespace RepSec.Attack;

/// <summary>An attack to run while the good client is measured; null for the baseline.</summary>
internal sealed record Scenario(string Name, string Description, Func<Net, Tally, CancellationToken, Task>? Attack);

internal static class Scenarios
{
    /// <summary>Every scenario, in the order they run; <paramref name="scale"/> is the connection count of the big attacks.</summary>
    public static IReadOnlyList<Scenario> All(int scale, string principal) =>
    [
        new("baseline", "no attack", null),
        new("a. slowloris RepSec", $"{scale} TLS connections trickling an unfinished line, 1 byte/s each",
            (net, tally, stop) => Slowloris.RepSecAsync(net, tally, scale, stop)),
        new("b. slowloris RDAP", $"{scale} TLS connections trickling request headers, 1 byte/s each",
            (net, tally, stop) => Slowloris.RdapAsync(net, tally, scale, stop)),
        new("c. flood beyond per-address cap", $"{scale * 2} TCP connections held from 4 addresses (500 each, cap 256), refused ones retried every 100 ms",
            (net, tally, stop) => Floods.FloodAsync(net, tally, 4, scale / 2, null, stop)),
        new("c2. flood to the total cap", "10,250 TCP connections held from 41 addresses (250 each; total cap 10,000)",
            (net, tally, stop) => Floods.FloodAsync(net, tally, 41, 250, null, stop)),
        new("c3. flood from the good client's address", $"{scale / 2} TCP connections held from 127.0.0.1 (cap 256)",
            (net, tally, stop) => Floods.FloodAsync(net, tally, 1, scale / 2, AttackSettings.GoodAddress, stop)),
        new("d. handshake-and-hold", $"{scale} TCP connections sending nothing or half a ClientHello, both ports",
            (net, tally, stop) => Floods.HandshakeHoldAsync(net, tally, scale, stop)),
        new("e. oversized lines", "16 connections in a loop: TLS, a 70,000-byte line (limit 65,536), reconnect",
            (net, tally, stop) => OversizedLines.RunAsync(net, tally, 16, stop)),
        new("f. pipelining without reading", "64 connections writing pipelined PINGs, never reading",
            (net, tally, stop) => Pipelining.RunAsync(net, tally, 64, null, stop)),
        new("f2. pipelining from the good client's address", "16 connections from 127.0.0.1 writing pipelined PINGs, never reading",
            (net, tally, stop) => Pipelining.RunAsync(net, tally, 16, AttackSettings.GoodAddress, stop)),
        new("g. brute force RepSec tokens", "16 addresses, one connection each, AUDIT with random tokens in a closed loop",
            (net, tally, stop) => BruteForce.RepSecAsync(net, tally, 16, null, stop)),
        new("g2. brute force RepSec from the good client's address", "16 connections from 127.0.0.1, AUDIT with random tokens in a closed loop",
            (net, tally, stop) => BruteForce.RepSecAsync(net, tally, 16, AttackSettings.GoodAddress, stop)),
        new("g3. brute force RDAP Basic", $"16 addresses guessing {principal}'s password in a closed loop",
            (net, tally, stop) => BruteForce.RdapAsync(net, tally, 16, principal, stop)),
        new("h. RDAP header flood", "16 workers: 150 headers, 40 KB header, 100 KB and 16 KB Authorization, fresh connection each",
            (net, tally, stop) => HeaderFlood.RunAsync(net, tally, 16, stop)),
    ];
}
