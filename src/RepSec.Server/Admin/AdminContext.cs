using System.CommandLine;
using RepSec.Core.Security;
using RepSec.Redis;

namespace RepSec.Server.Admin;

/// <summary>What the operator commands share besides <see cref="StoreFlags"/>: the role option, revocation notices, errors and exit codes.</summary>
internal static class AdminContext
{
    public static Option<string?> RoleOption() => new("--role") { Description = "registrant, auditor or admin" };

    /// <summary>
    /// Tells the running nodes to drop a revoked token or certificate from their caches at once, when they share a
    /// Redis; otherwise (or if Redis is away) they stop accepting it within a second anyway.
    /// </summary>
    public static async Task AnnounceRevocationAsync(ServerOptions server, Func<RedisRevocations, Task> announce)
    {
        if (server is not { Redis: { } configuration } options)
        {
            return;
        }

        await using var redis = new RedisConnection(configuration, options.RedisKeyPrefix);
        try
        {
            await announce(new RedisRevocations(redis));
        }
        catch (StackExchange.Redis.RedisException)
        {
            await Console.Error.WriteLineAsync("repsecd: Redis does not answer; the nodes stop accepting it within a second");
        }
    }

    public static Role? ParseRole(string? text) =>
        text is null ? null
        : Roles.TryParse(text, out var role) ? role
        : throw new UsageException($"unknown role '{text}' (registrant, auditor, admin)");

    /// <summary>
    /// Runs an operator action: a command line that cannot be carried out as given is a message and exit code 2
    /// (as for options the parser refuses); what the store refuses (an unknown principal, say) is exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (UsageException exception)
        {
            await Console.Error.WriteLineAsync($"repsecd: {exception.Message}");
            return ExitCodes.Usage;
        }
        catch (PrincipalStoreException exception)
        {
            await Console.Error.WriteLineAsync($"repsecd: {exception.Message}");
            return ExitCodes.Failed;
        }
    }
}

/// <summary>Options missing or in conflict: the command line, not the data, is at fault.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>repsecd's exit codes (README, "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Failed = 1;
    public const int Usage = 2;
}
