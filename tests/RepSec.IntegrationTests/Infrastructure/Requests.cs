using System.Security.Cryptography;
using System.Text.Json;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>Builds request lines the way a careful client would.</summary>
public static class Requests
{
    public static string Nonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Now(int offsetSeconds = 0) =>
        DateTimeOffset.UtcNow.AddSeconds(offsetSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Register(string entity, string type, string? token, string? nonce = null, string? timestamp = null, object? attributes = null) =>
        Json(new Dictionary<string, object?>
        {
            ["command"] = "REGISTER", ["entity"] = entity, ["type"] = type, ["auth"] = token,
            ["nonce"] = nonce ?? Nonce(), ["timestamp"] = timestamp ?? Now(), ["attributes"] = attributes,
        });

    public static string Remove(string entity, string? token, string? type = null) =>
        Json(new Dictionary<string, object?>
        {
            ["command"] = "REMOVE", ["entity"] = entity, ["type"] = type, ["auth"] = token, ["nonce"] = Nonce(), ["timestamp"] = Now(),
        });

    public static string Audit(string entity, string? token, string? type = null) =>
        Json(new Dictionary<string, object?> { ["command"] = "AUDIT", ["entity"] = entity, ["type"] = type, ["auth"] = token });

    public static string Verify(string entity, string? type = null) =>
        Json(new Dictionary<string, object?> { ["command"] = "VERIFY", ["entity"] = entity, ["type"] = type });

    private static string Json(Dictionary<string, object?> members) =>
        JsonSerializer.Serialize(members.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value));
}

public static class JsonElementExtensions
{
    public static int Status(this JsonElement response) => response.GetProperty("status").GetInt32();

    public static string? Error(this JsonElement response) =>
        response.TryGetProperty("error", out var error) ? error.GetString() : null;

    public static string Str(this JsonElement response, string name) => response.GetProperty(name).GetString()!;
}
