using System.Net;

namespace RepSec.Attack;

/// <summary>Where the server is, how to trust it, and how hard to attack it.</summary>
internal sealed record AttackSettings(
    string Host,
    int RepSecPort,
    int RdapPort,
    string CaPath,
    string Token,
    string Domain,
    int? ServerPid,
    int Seconds,
    int Scale)
{
    /// <summary>Connections per attacker address: under the default per-address cap (256), so each is admitted and held.</summary>
    public const int PerAddress = 250;

    public IPAddress Server => IPAddress.Parse(Host);

    /// <summary>
    /// Attacker address number <paramref name="index"/>: 127.0.0.2 upwards (Linux routes all of 127/8 to the loopback
    /// interface), so the server sees attackers apart from the good client on 127.0.0.1, as it would in reality.
    /// </summary>
    public static IPAddress AttackerAddress(int index) =>
        new([127, 0, (byte)(index / 250), (byte)(2 + (index % 250))]);

    /// <summary>The good client's own address, for the scenarios where the attacker shares it.</summary>
    public static IPAddress GoodAddress { get; } = IPAddress.Loopback;
}
