using System.Globalization;

namespace RepSec.IntegrationTests.Infrastructure;

/// <summary>Knobs the long forms of the hardening tests read from the environment (docs/hardening.md).</summary>
public static class TestSettings
{
    /// <summary>The whole number in environment variable <paramref name="name"/>, or null when it is unset or empty.</summary>
    public static int? Int(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
