using System.CommandLine;
using System.Globalization;
using RepSec.Cli.Reputation;
using RepSec.Client;

namespace RepSec.Cli.Commands;

/// <summary>
/// <c>repsec changes [--cursor C] [--follow]</c>: the feed of entities whose reputation changed. With --follow it
/// prints each change as it arrives until Ctrl+C; --cursor-file keeps the place across runs.
/// </summary>
internal static class ChangesCommand
{
    private static readonly TimeSpan MaxReconnectWait = TimeSpan.FromMinutes(1);

    public static Command Create(Func<ParseResult, CliContext> contextFor)
    {
        var cursor = new Option<string>("--cursor")
        {
            Description = "Continue from a cursor a previous run printed; \"\" reads from the start (default: --cursor-file's, else the start)",
            HelpName = "cursor",
        };
        var limit = new Option<int?>("--limit") { Description = "Entities per page, 1 to 1000 (default: the server's, 100)", HelpName = "n" };
        limit.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<int?>() is not (>= 1 and <= 1000))
            {
                result.AddError("--limit must be from 1 to 1000");
            }
        });
        var follow = new Option<bool>("--follow") { Description = "Keep reading: print each change as it arrives (a line, or a JSON object with --json) until Ctrl+C" };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between polls with --follow, once the feed is read to its end",
            HelpName = "seconds",
            DefaultValueFactory = _ => 5,
        };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 86_400))
            {
                result.AddError("--interval must be a positive number of seconds, at most 86400");
            }
        });
        var cursorFile = new Option<FileInfo>("--cursor-file")
        {
            Description = "Start from the cursor saved in this file (if it exists) and save the new one after each page, atomically",
            HelpName = "file",
        };
        var command = new Command("changes", "Read the feed of entities whose reputation changed, with their reputation now (no token needed)")
        {
            cursor, limit, follow, interval, cursorFile,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var feed = new Feed(parseResult.GetResult(cursor) is null ? null : parseResult.GetValue(cursor) ?? "", parseResult.GetValue(cursorFile)?.FullName);
            return parseResult.GetValue(follow)
                ? FollowAsync(contextFor, parseResult, feed, TimeSpan.FromSeconds(parseResult.GetValue(interval)), cancellationToken)
                : OnceAsync(contextFor(parseResult), feed, parseResult.GetValue(limit), cancellationToken);
        });
        return command;
    }

    private static Task<int> OnceAsync(CliContext context, Feed feed, int? limit, CancellationToken cancellationToken) =>
        context.RunAsync(async (client, ct) =>
        {
            var page = await client.ChangesAsync(feed.Start(), limit, ct);
            await context.Output.ChangesAsync(page);
            feed.Save(page.Cursor);
            return ExitCodes.Success;
        }, cancellationToken);

    /// <summary>
    /// Follows the feed on one connection. Once connected, a lost connection (the server restarted, or closed it)
    /// is not the end: it waits, an interval at first and longer while the server stays away (at most a minute, or
    /// the interval if that is longer), and reconnects from the last cursor.
    /// </summary>
    private static async Task<int> FollowAsync(
        Func<ParseResult, CliContext> contextFor, ParseResult parseResult, Feed feed, TimeSpan interval, CancellationToken cancellationToken)
    {
        var connected = false;
        var wait = interval;
        var longest = interval > MaxReconnectWait ? interval : MaxReconnectWait;
        while (true)
        {
            var context = contextFor(parseResult);
            var exit = await context.RunAsync(async (client, ct) =>
            {
                connected = true;
                wait = interval;
                try
                {
                    await foreach (var change in client.FollowChangesAsync(feed.Start(), interval, ct))
                    {
                        await context.Output.ChangeAsync(change);
                        if (change.ResumeCursor is { } next)
                        {
                            feed.Save(next);
                            if (feed.File is null)
                            {
                                // No file to keep it in: say it, so the run can be resumed by hand.
                                await context.Error.WriteLineAsync($"repsec: cursor {next}");
                            }
                        }
                    }
                }
                catch (Exception exception) when (exception is RepSecConnectionException or TimeoutException)
                {
                    await context.Error.WriteLineAsync($"repsec: connection lost: {exception.Message}");
                }

                return ExitCodes.Connection;
            }, cancellationToken);
            if (exit != ExitCodes.Connection || !connected)
            {
                return exit;
            }

            await context.Error.WriteLineAsync($"repsec: reconnecting in {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            await Task.Delay(wait, cancellationToken);
            wait = wait * 2 > longest ? longest : wait * 2;
        }
    }

    /// <summary>Where the feed is read from: --cursor, else the cursor file, else the start; and where it is saved.</summary>
    private sealed class Feed(string? cursor, string? file)
    {
        private string? _position = cursor;
        private bool _loaded = cursor is not null || file is null;

        public string? File => file;

        public string? Start()
        {
            if (!_loaded)
            {
                try
                {
                    _position = CursorFile.Load(file!);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    throw new CommandFailedException(ExitCodes.Usage, $"cannot read the cursor file {file}: {exception.Message}");
                }

                _loaded = true;
            }

            return _position;
        }

        public void Save(string next)
        {
            _position = next;
            if (file is null)
            {
                return;
            }

            try
            {
                CursorFile.Save(file, next);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException(ExitCodes.Usage, $"cannot save the cursor to {file}: {exception.Message}");
            }
        }
    }
}
