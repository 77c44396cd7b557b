using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepSec.Client;
using RepSec.Protocol;

namespace RepSec.Cli.Import;

/// <summary>
/// One <c>repsec import</c>: streams the file's rows as pipelined requests over one or more connections, at most
/// <c>window</c> in flight on each, retries a row the server rate-limits after the wait it names, records every
/// refused row (with why) in the refused file, keeps the state file current for a resume, and ends with a summary.
/// </summary>
internal sealed class ImportRun(
    CliContext context, FileInfo input, ImportFormat format, int connections, int window, string statePath, string refusedPath, bool restart,
    TextWriter stdout, TextWriter stderr)
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, bool> _finishedAhead = [];
    private readonly Dictionary<string, long> _refusedBy = new(StringComparer.Ordinal);
    private long _finished;
    private long _sentThrough;
    private long _accepted;
    private long _refused;
    private long _thisRun;
    private long _resumeUncertainThrough;
    private TextWriter? _refusedFile;
    private Exception? _fatal;

    public async Task<int> RunAsync(RepSecClient first, CancellationToken cancellationToken)
    {
        ImportState? state;
        try
        {
            state = restart ? null : ImportState.Load(statePath, input);
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            throw new CommandFailedException(ExitCodes.Usage, exception.Message);
        }

        if (state is not null)
        {
            (_finished, _sentThrough, _accepted, _refused) = (state.Finished, state.SentThrough, state.Accepted, state.Refused);
            _resumeUncertainThrough = state.SentThrough;
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"repsec import: resuming {input.Name} after row {_finished:N0} ({statePath}; --restart starts over)"));
        }

        var clients = new List<RepSecClient> { first };
        try
        {
            for (var i = 1; i < connections; i++)
            {
                clients.Add(await context.ConnectAnotherAsync(cancellationToken));
            }

            return await ImportAsync(clients, state is not null, cancellationToken);
        }
        finally
        {
            foreach (var client in clients.Skip(1))
            {
                await client.DisposeAsync();
            }
        }
    }

    private async Task<int> ImportAsync(List<RepSecClient> clients, bool resuming, CancellationToken cancellationToken)
    {
        using var inFlight = new SemaphoreSlim(clients.Count * window);
        var outstanding = new List<Task>();
        var progress = new ImportProgress(stderr, !Console.IsErrorRedirected, input.Length);
        var header = "";
        var interrupted = false;
        await using var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lastSave = Environment.TickCount64;
        try
        {
            foreach (var row in ImportRows.Read(reader, format, h => header = h))
            {
                if (row.Number <= _finished)
                {
                    continue;
                }

                if (cancellationToken.IsCancellationRequested || Volatile.Read(ref _fatal) is not null)
                {
                    interrupted = true;
                    break;
                }

                if (row.Error is { } error)
                {
                    Refuse(row, header, "malformed row", error);
                }
                else
                {
                    try
                    {
                        await inFlight.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        interrupted = true;
                        break;
                    }

                    lock (_gate)
                    {
                        _sentThrough = Math.Max(_sentThrough, row.Number);
                    }

                    // Rows about one entity share a connection, so they reach the server in the file's order (a
                    // REGISTER before a REPORT of it, a report before the one that supersedes it).
                    var connection = (int)((uint)StringComparer.OrdinalIgnoreCase.GetHashCode((string)row.Request!["entity"]!) % (uint)clients.Count);
                    outstanding.Add(SendAsync(clients[connection], row, header, resuming, inFlight));
                    if (outstanding.Count >= 4096)
                    {
                        outstanding.RemoveAll(t => t.IsCompleted);
                    }
                }

                progress.Report(Volatile.Read(ref _finished), Volatile.Read(ref _thisRun), Volatile.Read(ref _refused), stream.Position);
                if (Environment.TickCount64 - lastSave > 1000)
                {
                    Save();
                    lastSave = Environment.TickCount64;
                }
            }
        }
        catch (FormatException exception)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{input.Name}: {exception.Message}");
        }

        // What is in flight is answered (each request has the client's timeout), whatever stopped the loop.
        await Task.WhenAll(outstanding);
        Save();
        progress.Report(_finished, _thisRun, _refused, interrupted ? stream.Position : input.Length, final: true);
        if (_refusedFile is not null)
        {
            await _refusedFile.DisposeAsync();
        }

        return await SummaryAsync(interrupted);
    }

    private async Task SendAsync(RepSecClient client, ImportRow row, string header, bool resuming, SemaphoreSlim inFlight)
    {
        try
        {
            while (true)
            {
                try
                {
                    // Not cancelled by Ctrl+C: a request sent is answered (or times out), so its row is finished either way.
                    await client.SendAsync(row.Request!, CancellationToken.None);
                    Finish(row.Number, accepted: true);
                    return;
                }
                catch (RepSecException exception) when (exception.Status == 429 && exception.Error == ErrorCodes.RateLimited)
                {
                    await Task.Delay(TimeSpan.FromSeconds(exception.RetryAfterSeconds ?? 1));
                }
                catch (RepSecException exception) when (resuming && row.Number <= _resumeUncertainThrough
                    && exception.Error is ErrorCodes.AlreadyRegistered or ErrorCodes.ReportTooSoon)
                {
                    // Sent before the interruption and applied then: done, not refused.
                    Finish(row.Number, accepted: true);
                    return;
                }
                catch (RepSecException exception)
                {
                    Refuse(row, header, $"{exception.Status} {exception.Error}", exception.Message);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is RepSecConnectionException or TimeoutException or ObjectDisposedException)
        {
            // The row stays unfinished: the state file resumes before it.
            Interlocked.CompareExchange(ref _fatal, exception, null);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private void Refuse(ImportRow row, string header, string kind, string why)
    {
        lock (_gate)
        {
            if (_refusedFile is null)
            {
                var append = File.Exists(refusedPath) && _finished > 0;
                _refusedFile = new StreamWriter(refusedPath, append, new UTF8Encoding(false));
                if (!append && format == ImportFormat.Csv)
                {
                    _refusedFile.WriteLine(header + ",reason");
                }
            }

            var reason = string.Create(CultureInfo.InvariantCulture, $"row {row.Number}: {why}");
            if (format == ImportFormat.Csv)
            {
                _refusedFile.WriteLine(row.Text + "," + ImportRows.Quote(reason));
            }
            else
            {
                _refusedFile.WriteLine(new JsonObject { ["row"] = row.Number, ["refused"] = why, ["text"] = row.Text }.ToJsonString());
            }

            _refusedBy[kind] = _refusedBy.GetValueOrDefault(kind) + 1;
        }

        Finish(row.Number, accepted: false);
    }

    /// <summary>Records a row's outcome and moves the finished prefix forward over every row finished after it.</summary>
    private void Finish(long number, bool accepted)
    {
        lock (_gate)
        {
            if (accepted)
            {
                _accepted++;
            }
            else
            {
                _refused++;
            }

            _thisRun++;
            if (number == _finished + 1)
            {
                _finished = number;
                while (_finishedAhead.Remove(_finished + 1))
                {
                    _finished++;
                }
            }
            else
            {
                _finishedAhead[number] = accepted;
            }
        }
    }

    private void Save()
    {
        ImportState state;
        lock (_gate)
        {
            // Rows finished beyond the prefix are sent again on resume: the saved counts leave them out.
            var aheadAccepted = _finishedAhead.Values.Count(a => a);
            state = new ImportState(input.Name, input.Length, input.LastWriteTimeUtc.Ticks, _finished, _sentThrough,
                _accepted - aheadAccepted, _refused - (_finishedAhead.Count - aheadAccepted));
        }

        _refusedFile?.Flush();
        state.Save(statePath);
    }

    private async Task<int> SummaryAsync(bool interrupted)
    {
        var kinds = string.Join(", ", _refusedBy.OrderByDescending(k => k.Value).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Value:N0} {k.Key}")));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{(interrupted ? "interrupted" : "imported")} {input.Name}: {_accepted:N0} rows accepted, {_refused:N0} refused{(_refused > 0 ? $" ({kinds}; rows and reasons in {refusedPath})" : "")}");
        await stdout.WriteLineAsync(text);
        if (_fatal is { } fatal)
        {
            await stderr.WriteLineAsync($"repsec import: the connection failed ({fatal.Message}); run the same command again to resume after row {_finished:N0}");
            return ExitCodes.Connection;
        }

        if (interrupted)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"repsec import: stopped after row {_finished:N0}; run the same command again to resume"));
            return ExitCodes.Interrupted;
        }

        File.Delete(statePath);
        return _refused > 0 ? ExitCodes.ImportRefusedRows : ExitCodes.Success;
    }
}
