using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using RepSec.Core;
using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Framing;
using StatusCodes = RepSec.Protocol.StatusCodes;

namespace RepSec.Server.Connections;

/// <summary>
/// The RepSec read loop on one TLS connection: cut lines from the input pipe, answer each in order, flush once
/// per batch of pipelined requests. Reads are bounded by the line limit, output by the pipe's backpressure,
/// time by the idle timeout.
/// </summary>
internal sealed partial class RepSecConnectionHandler(
    RequestDispatcher dispatcher,
    RepSecMetrics metrics,
    ServerOptions options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<RepSecConnectionHandler> logger) : ConnectionHandler
{
    // Above this much unflushed output the loop flushes mid-batch, so a client that pipelines without reading
    // waits on backpressure instead of growing the server's buffers.
    private const int FlushThreshold = 64 * 1024;

    // Requests answered from one read before the loop yields its thread. Socket completions run inline on the I/O
    // threads, so a client pipelining a megabyte of requests would otherwise hold one of them for its whole batch
    // while every other connection on it waits.
    private const int YieldEvery = 64;

    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var context = new CommandContext(ConnectionGate.ClientAddress(connection), tls?.ClientCertificate);
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        context.AttachOutput(output);
        var maxLine = dispatcher.Limits.MaxLineBytes;
        byte[]? scratch = null;
        using var idle = new IdleWatch(time, _idleTimeout, input, output);
        var stoppingToken = lifetime.ApplicationStopping;
        await using var stopping = stoppingToken.Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        metrics.ConnectionOpened();
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed);
                if (result.IsCanceled)
                {
                    if (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }

                    if (idle.Expired)
                    {
                        LogIdleClosed(context.RemoteAddress.ToString());
                        break;
                    }

                    // The timer fired while a request was being answered: not idle. Whatever arrived meanwhile is
                    // handled like any read (the reader must be advanced before it is read again).
                }

                var buffer = result.Buffer;
                var close = false;
                var answered = 0;
                try
                {
                    while (true)
                    {
                        var status = LineFramer.TryReadLine(ref buffer, maxLine, out var line);
                        if (status == FrameStatus.NeedMoreData)
                        {
                            break;
                        }

                        if (status == FrameStatus.TooLarge)
                        {
                            // Answered so the client can read why, then the connection closes: the rest of the line is unframed.
                            context.Response.WriteError(
                                ProtocolError.BadRequest(ErrorCodes.MessageTooLarge, $"Line exceeds {maxLine} bytes; closing connection"),
                                default, time.GetUtcNow());
                            metrics.Request(StatusCodes.BadRequest);
                            close = true;
                            break;
                        }

                        if (line.IsEmpty)
                        {
                            idle.Touch();
                            continue; // blank lines are ignored, as a typing human expects
                        }

                        var error = dispatcher.Parse(context, Contiguous(line, ref scratch));
                        await dispatcher.RunAsync(context, error, connection.ConnectionClosed);
                        idle.Touch();
                        if (output.UnflushedBytes > FlushThreshold && !await FlushAsync(output, idle, connection))
                        {
                            close = true;
                            break;
                        }

                        if (++answered % YieldEvery == 0)
                        {
                            await Task.Yield();
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (!close && output.UnflushedBytes > 0)
                {
                    close = !await FlushAsync(output, idle, connection);
                }

                if (close || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is ConnectionResetException or IOException or OperationCanceledException or ConnectionAbortedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            metrics.ConnectionClosed();
        }
    }

    /// <summary>
    /// Flushes, waiting on backpressure; false when the connection is done: the client completed it, or it stopped
    /// reading for the idle timeout. Such a connection is aborted, since what is buffered for it will never drain.
    /// </summary>
    private async ValueTask<bool> FlushAsync(PipeWriter output, IdleWatch idle, ConnectionContext connection)
    {
        while (true)
        {
            var flush = await output.FlushAsync(connection.ConnectionClosed);
            if (flush.IsCompleted)
            {
                return false;
            }

            if (!flush.IsCanceled)
            {
                return true;
            }

            if (idle.Expired)
            {
                LogStalledClosed(ConnectionGate.ClientAddress(connection).ToString());
                connection.Abort(new ConnectionAbortedException("the client stopped reading"));
                return false;
            }

            // Cancelled by a timer that found the connection busy rather than idle: the data is still to be sent.
        }
    }

    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> line, ref byte[]? scratch)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        if (scratch is null || scratch.Length < line.Length)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent((int)line.Length);
        }

        line.CopyTo(scratch);
        return scratch.AsSpan(0, (int)line.Length);
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Closed an idle connection from {Address}")]
    private partial void LogIdleClosed(string address);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Closed a connection from {Address} that stopped reading its answers")]
    private partial void LogStalledClosed(string address);
}
