using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using RepSec.Core;
using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Framing;
using StatusCodes = RepSec.Protocol.StatusCodes;

namespace RepSec.Server.Connections;

/// <summary>
/// The RepSec read loop on one TLS connection, straight over its <see cref="SslStream"/>: reads into one buffer,
/// cuts lines, answers each in order into one output buffer, and writes the answers to a batch of pipelined
/// requests with one write. Reads are bounded by the line limit, output by a flush every 64 KiB, time by the idle
/// timeout.
/// </summary>
/// <remarks>
/// Idle means no complete request for the idle timeout: a client trickling the bytes of an unfinished line does
/// not keep its connection, and its slot, for ever; neither does one that pipelines requests and never reads the
/// answers, since the write it holds up has the same deadline. The listener's sweep enforces the deadline.
/// </remarks>
internal sealed partial class RepSecConnection : TlsConnection
{
    // Above this much unwritten output the loop writes mid-batch, so a client that pipelines without reading
    // waits on TCP's backpressure instead of growing the server's buffers.
    private const int FlushThreshold = 64 * 1024;

    // Requests answered from one read before the loop yields its thread. Socket completions run inline on the
    // event threads (Program.cs), so a client pipelining a megabyte of requests would otherwise hold one of them
    // for its whole batch while every other connection on it waits.
    private const int YieldEvery = 64;

    // Requests and answers are a few hundred bytes; a buffer grown for one large line or answer is let go after it,
    // so that thousands of open connections do not each keep the largest they ever saw.
    private const int InitialBufferBytes = 4 * 1024;
    private const int RetainedBufferBytes = 16 * 1024;

    private readonly RepSecServing _serving;
    private readonly CommandContext _context;
    private ArrayBufferWriter<byte> _output = new(InitialBufferBytes);
    private readonly ReceiveBuffer _input;
    private long _lastRequest;

    public RepSecConnection(Socket socket, SslStream tls, IPAddress remote, RepSecServing serving)
        : base(socket, tls)
    {
        _serving = serving;
        _context = new CommandContext(remote, tls.RemoteCertificate as X509Certificate2);
        _context.AttachOutput(_output);
        // The framer answers a line past the limit once the buffer holds the limit and two bytes more.
        _input = new ReceiveBuffer(InitialBufferBytes, RetainedBufferBytes, serving.Dispatcher.Limits.MaxLineBytes + 2);
    }

    protected override async Task ServeAsync()
    {
        var dispatcher = _serving.Dispatcher;
        var maxLine = dispatcher.Limits.MaxLineBytes;
        _lastRequest = _serving.Time.GetTimestamp();
        _serving.Metrics.ConnectionOpened();
        while (true)
        {
            var start = 0;
            var close = false;
            var answered = 0;
            while (true)
            {
                var status = LineFramer.TryReadLine(_input.From(start), maxLine, out var length, out var consumed);
                if (status == FrameStatus.NeedMoreData)
                {
                    break;
                }

                if (status == FrameStatus.TooLarge)
                {
                    // Answered so the client can read why, then the connection closes: the rest of the line is unframed.
                    _context.Response.WriteError(
                        ProtocolError.BadRequest(ErrorCodes.MessageTooLarge, $"Line exceeds {maxLine} bytes; closing connection"),
                        default, _serving.Time.GetUtcNow());
                    _serving.Metrics.Request(StatusCodes.BadRequest);
                    close = true;
                    break;
                }

                var line = start;
                start += consumed;
                _lastRequest = _serving.Time.GetTimestamp();
                if (length == 0)
                {
                    continue; // blank lines are ignored, as a typing human expects
                }

                var error = dispatcher.Parse(_context, _input.Slice(line, length));
                await dispatcher.RunAsync(_context, error, Aborted.Token);
                _lastRequest = _serving.Time.GetTimestamp();
                if (_output.WrittenCount > FlushThreshold)
                {
                    await FlushAsync();
                }

                if (Closing)
                {
                    close = true;
                    break;
                }

                if (++answered % YieldEvery == 0)
                {
                    await Task.Yield();
                }
            }

            await FlushAsync();
            if (close)
            {
                return;
            }

            _input.Consume(start);

            if (!BeginRead(idle: true, _lastRequest + Ticks(_serving.IdleTimeout)))
            {
                return;
            }

            var read = await Tls.ReadAsync(_input.Free);
            EndRead();
            if (read == 0)
            {
                return;
            }

            _input.Received(read);
        }
    }

    /// <summary>
    /// An idle connection, or one whose client stopped reading its answers, is closed: the pending read ends as
    /// at the client's close, or the pending write fails, and the loop closes. The client reads the end of the
    /// stream, not a reset, even when bytes it sent are left unread.
    /// </summary>
    public override void Expire()
    {
        if (Writing)
        {
            LogStalledClosed(_serving.Logger, _context.RemoteAddress);
        }
        else
        {
            LogIdleClosed(_serving.Logger, _context.RemoteAddress);
        }

        Shutdown();
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _serving.Time.TimestampFrequency);

    private async ValueTask FlushAsync()
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        await WriteAsync(_output.WrittenMemory, _lastRequest + Ticks(_serving.IdleTimeout));
        _output.ResetWrittenCount();
        if (_output.Capacity > RetainedBufferBytes)
        {
            _output = new ArrayBufferWriter<byte>(InitialBufferBytes);
            _context.AttachOutput(_output);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Closed an idle connection from {Address}")]
    private static partial void LogIdleClosed(ILogger logger, IPAddress address);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Closed a connection from {Address} that stopped reading its answers")]
    private static partial void LogStalledClosed(ILogger logger, IPAddress address);

    protected override void OnFailed(Exception exception) => LogFailed(_serving.Logger, exception);

    protected override void OnClosed() => _serving.Metrics.ConnectionClosed();

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "A RepSec connection failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>What every <see cref="RepSecConnection"/> of a listener shares.</summary>
internal sealed record RepSecServing(RequestDispatcher Dispatcher, RepSecMetrics Metrics, TimeSpan IdleTimeout, TimeProvider Time, ILogger Logger);
