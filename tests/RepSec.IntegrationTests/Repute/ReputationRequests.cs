using System.Text.Json;
using RepSec.IntegrationTests.Infrastructure;

namespace RepSec.IntegrationTests.Repute;

/// <summary>Request lines of the reputation extension's commands (docs/reputation.md), as a client sends them.</summary>
public static class ReputationRequests
{
    public static string Report(string token, string entity, string type, string assertion, double rating, double confidence) =>
        Line(new Dictionary<string, object?>
        {
            ["command"] = "REPORT", ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now(),
            ["entity"] = entity, ["type"] = type, ["assertion"] = assertion, ["rating"] = rating, ["confidence"] = confidence,
        });

    public static string Allowlist(string token, string entity, string type, string reason) =>
        Line(new Dictionary<string, object?>
        {
            ["command"] = "ALLOWLIST", ["auth"] = token, ["nonce"] = Requests.Nonce(), ["timestamp"] = Requests.Now(),
            ["entity"] = entity, ["type"] = type, ["action"] = "add", ["reason"] = reason,
        });

    public static string Reputation(string entity, string type) =>
        Line(new Dictionary<string, object?> { ["command"] = "REPUTATION", ["entity"] = entity, ["type"] = type });

    private static string Line(Dictionary<string, object?> members) => JsonSerializer.Serialize(members);
}
