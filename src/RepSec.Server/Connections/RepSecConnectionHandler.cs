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
        using var idle = new IdleWatch(time, _idleTimeout, input);
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
                        if (output.UnflushedBytes > FlushThreshold)
                        {
                            await output.FlushAsync(connection.ConnectionClosed);
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (output.UnflushedBytes > 0)
                {
                    var flush = await output.FlushAsync(connection.ConnectionClosed);
                    close |= flush.IsCompleted;
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
}
