using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace RepSec.Server.Hosting;

/// <summary>
/// The console log format, <c>Logging:Console:FormatterName</c> (<c>--log-format</c>): <c>simple</c> (the default on a
/// terminal), <c>systemd</c> (the default under systemd: one line per entry with its syslog priority), or <c>json</c>:
/// one object per line with <c>Timestamp</c> (UTC), <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>, <c>Message</c>
/// and <c>State</c> (the message's named values). Event ids are stable (docs/operations.md lists them).
/// </summary>
internal static class LogFormat
{
    public const string Key = "Logging:Console:FormatterName";

    public static readonly IReadOnlyList<string> Names = [ConsoleFormatterNames.Simple, ConsoleFormatterNames.Json, ConsoleFormatterNames.Systemd];

    public static void Configure(WebApplicationBuilder builder)
    {
        if (builder.Configuration[Key] is not { } name)
        {
            return;
        }

        if (!Names.Contains(name))
        {
            throw new OptionsValidationException(Key, typeof(ConsoleLoggerOptions), [$"--log-format (Logging:Console:FormatterName) must be {string.Join(", ", Names)}"]);
        }

        // After the host's own choice (systemd's format under systemd), so the configured one wins.
        builder.Services.PostConfigure<ConsoleLoggerOptions>(options => options.FormatterName = name);
        if (name == ConsoleFormatterNames.Json && builder.Configuration["Logging:Console:FormatterOptions:TimestampFormat"] is null)
        {
            builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
            {
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                options.UseUtcTimestamp = true;
            });
        }
    }
}
