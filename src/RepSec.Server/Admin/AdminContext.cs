using System.CommandLine;
using RepSec.Core.Security;
using RepSec.Storage.Sqlite;

namespace RepSec.Server.Admin;

/// <summary>What the operator commands share: the <c>--data</c> option and the store it opens.</summary>
internal static class AdminContext
{
    public static Option<string?> DataOption() => new("--data") { Description = "Data directory (default: RepSec:DataDirectory or ./data)" };

    public static Option<string?> RoleOption() => new("--role") { Description = "registrant, auditor or admin" };

    public static IPrincipalStore OpenStore(string? data) => new SqlitePrincipalStore(new SqliteDatabase(DataDirectory(data)));

    public static string DataDirectory(string? data) => data ?? Configuration()["RepSec:DataDirectory"] ?? "./data";

    /// <summary>The server's configuration as the operator commands see it: appsettings.json and the environment.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static Role? ParseRole(string? text) =>
        text is null ? null
        : Roles.TryParse(text, out var role) ? role
        : throw new PrincipalStoreException($"unknown role '{text}' (registrant, auditor, admin)");

    /// <summary>Runs an operator action, turning operator mistakes into a message and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (PrincipalStoreException exception)
        {
            await Console.Error.WriteLineAsync($"repsecd: {exception.Message}");
            return 1;
        }
    }
}
