using System.Globalization;
using System.Security.Cryptography;

namespace RepSec.Attack;

internal static class Preparation
{
    /// <summary>Registers the domain the good client reads (already registered is fine).</summary>
    public static async Task RegisterAsync(Net net, CancellationToken cancellationToken)
    {
        await using var line = await LineClient.OpenAsync(net, AttackSettings.GoodAddress, cancellationToken);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var answer = await line.RoundTripAsync(
            $$"""{"command":"REGISTER","entity":"{{net.Settings.Domain}}","type":"domain","auth":"{{net.Settings.Token}}","nonce":"{{RandomNumberGenerator.GetHexString(32, lowercase: true)}}","timestamp":"{{now}}"}""",
            cancellationToken);
        if (answer is null || !(answer.Contains("\"status\":200", StringComparison.Ordinal) || answer.Contains("\"status\":409", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"registering {net.Settings.Domain} failed: {answer}");
        }
    }
}
