using System.Globalization;
using System.Text.Json;

namespace RepSec.IntegrationTests.Repute;

/// <summary>Compares RFC 7071 reputons read through different interfaces.</summary>
public static class ReputonAssert
{
    private static readonly string[] Values =
        ["rater", "assertion", "rated", "rating", "confidence", "normal-rating", "sample-size", "repsec-allowlisted"];

    /// <summary>
    /// The two reputon arrays say the same, member by member; <c>generated</c> and <c>expires</c> only within a few
    /// seconds, since each answer is generated when it is asked for.
    /// </summary>
    public static void Same(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(JsonValueKind.Array, actual.ValueKind);
        Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
        foreach (var (want, got) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
        {
            foreach (var name in Values)
            {
                Assert.True(Value(want, name) == Value(got, name), $"{name}: expected {Value(want, name)}, got {Value(got, name)}\n{want}\n{got}");
            }

            foreach (var name in (string[])["generated", "expires"])
            {
                Assert.InRange(got.GetProperty(name).GetInt64() - want.GetProperty(name).GetInt64(), -5, 5);
            }
        }
    }

    /// <summary>The assertions of a reputon array, in order.</summary>
    public static string Assertions(JsonElement reputons) =>
        string.Join(",", reputons.EnumerateArray().Select(r => r.GetProperty("assertion").GetString()));

    private static string? Value(JsonElement reputon, string name) => reputon.TryGetProperty(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            _ => value.GetRawText(),
        }
        : null;
}
