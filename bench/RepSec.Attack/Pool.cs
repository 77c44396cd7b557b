using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RepSec.Attack;

/// <summary>How a connection the pool opened ended, as the attacker saw it.</summary>
internal static class Ended
{
    public const string HeldToTheEnd = "held to the end";
    public const string RefusedAtConnect = "refused at connect";

    /// <summary>Closed (or reset) by the server: "at once" under a second, else after how long, in whole seconds.</summary>
    public static string ClosedAfter(long startedTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        return seconds < 1 ? "closed at once" : $"closed after ~{Math.Round(seconds):F0} s";
    }
}

/// <summary>
/// Keeps N attacker connections: each slot opens a connection, drives it until the server ends it or the attack
/// stops, tallies how it ended, and opens another. Slots are spread over attacker addresses, a given number each.
/// </summary>
internal static class Pool
{
    public static async Task HoldAsync(
        int count,
        Func<int, IPAddress> sourceOfSlot,
        Func<IPAddress, CancellationToken, Task<Stream>> open,
        Func<Stream, long, CancellationToken, Task<string>> drive,
        Tally tally,
        CancellationToken stop,
        int pauseMilliseconds = 10)
    {
        // Opening is throttled a little so thousands of TLS handshakes do not all start in the same millisecond.
        using var opening = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async slot =>
        {
            var source = sourceOfSlot(slot);
            while (!stop.IsCancellationRequested)
            {
                Stream stream;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await opening.WaitAsync(stop);
                    try
                    {
                        stream = await open(source, stop);
                    }
                    finally
                    {
                        opening.Release();
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception exception) when (IsNetwork(exception))
                {
                    tally.Attempted();
                    tally.Outcome(exception is SocketException ? Ended.RefusedAtConnect : "closed during TLS handshake");
                    await PauseAsync(pauseMilliseconds, stop);
                    continue;
                }

                tally.Connected();
                try
                {
                    tally.Outcome(await drive(stream, started, stop));
                }
                catch (OperationCanceledException)
                {
                    tally.Outcome(Ended.HeldToTheEnd);
                }
                catch (Exception exception) when (IsNetwork(exception))
                {
                    tally.Outcome(Ended.ClosedAfter(started));
                }
                finally
                {
                    tally.Closed();
                    await stream.DisposeAsync();
                }

                await PauseAsync(pauseMilliseconds, stop);
            }
        }));
    }

    /// <summary>Reads until the server ends the connection; how it ended.</summary>
    public static async Task<string> UntilClosedAsync(Stream stream, long started, CancellationToken stop)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, stop) > 0)
        {
        }

        return Ended.ClosedAfter(started);
    }

    public static bool IsNetwork(Exception exception) =>
        exception is IOException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException;

    private static async Task PauseAsync(int milliseconds, CancellationToken stop)
    {
        try
        {
            await Task.Delay(milliseconds, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
