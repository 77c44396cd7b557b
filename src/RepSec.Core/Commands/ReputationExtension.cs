using System.Text.Json;
using RepSec.Core.Reputation;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Commands;

/// <summary>
/// The <c>reputation</c> extension (docs/reputation.md): reports, aggregated RFC 7071 reputons, the delta feed and
/// the operator's controls. HELLO names the rater, the accepted assertions and the decay half-life.
/// </summary>
public sealed class ReputationExtension(
    ReputationService reputation, ReportCommand report, WithdrawCommand withdraw, ReputationCommand read, ChangesCommand changes,
    AllowlistCommand allowlist, TrustCommand trust) : IRepSecExtension
{
    public string Name => "reputation";

    public string Version => "1";

    public bool Enabled => reputation.Options.Enabled;

    public IReadOnlyList<RepSecCommand> Commands { get; } = [report, withdraw, read, changes, allowlist, trust];

    public void WriteProperties(Utf8JsonWriter json)
    {
        json.WriteString(ReputationNames.Rater, reputation.Rater);
        json.WriteStartArray(ReputationNames.Assertions);
        foreach (var name in reputation.Assertions.Names)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteNumber(ReputationNames.HalfLifeDays, reputation.Options.HalfLifeDays);
    }
}
