using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using RepSec.Server.Connections;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// One HTTP/1.1 connection on the RDAP port, after its TLS handshake: reads request heads into one buffer, runs
/// each through the RDAP pipeline, and writes each answer's head and body with one write. Pipelined requests are
/// answered in order, their answers gathered into one write. The connection is its own request and response
/// features (<see cref="Http1Connection"/>.Features.cs), reused from one request to the next.
/// </summary>
internal sealed partial class Http1Connection : TlsConnection
{
    // Where the read the sweep may time out stands: the sweep cancels a read only while the loop waits on it
    // (Reading to TimedOut), and after a wait the sweep claimed, the loop replaces the cancellation source. So a
    // sweep that fires just as a read completes never leaves a cancelled source for the next, healthy, read.
    private const int NotReading = 0;
    private const int Reading = 1;
    private const int TimedOut = 2;

    // Answers are a few KB; a buffer grown past the larger bound for one big search answer is let go after it, so
    // that thousands of open connections do not each keep the largest answer they ever sent.
    internal const int InitialBufferBytes = 4 * 1024;
    internal const int RetainedBufferBytes = 8 * 1024;

    private readonly Http1Settings _settings;
    private readonly Http1Request _request = new();
    private ArrayBufferWriter<byte> _output = new(InitialBufferBytes);
    private CancellationTokenSource _readTimeout = new();
    private int _read;
    private readonly ReceiveBuffer _input;
    // Whether this request's answer is leaving in chunks (StreamAsync), and whether the connection stays open after it.
    private bool _streaming;
    private bool _keepOpen;

    public Http1Connection(Socket socket, SslStream tls, IPEndPoint remote, IPEndPoint local, Http1Settings settings)
        : base(socket, tls)
    {
        _settings = settings;
        _remote = remote;
        _local = local;
        _clientCertificate = tls.RemoteCertificate as System.Security.Cryptography.X509Certificates.X509Certificate2;
        _context = new DefaultHttpContext(this);
        _input = new ReceiveBuffer(InitialBufferBytes, InitialBufferBytes, settings.Limits.MaxBufferedBytes);
        _body.Streamer = StreamAsync;
    }

    /// <summary>Serves requests until the client closes, asks to close, sends something unparsable, or times out.</summary>
    protected override async Task ServeAsync()
    {
        var requestStarted = 0L;
        while (true)
        {
            var start = 0;
            var close = false;
            while (start < _input.Count && !close && MayHoldHead(_input.From(start)))
            {
                var result = Http1Parser.TryParse(_input.From(start), _settings.Limits, _request, out var consumed, out var error);
                if (result == Http1ParseResult.Incomplete)
                {
                    break;
                }

                if (result == Http1ParseResult.Error)
                {
                    LogRejected(_settings.Logger, error.Status, error.Description);
                    WriteError(error);
                    close = true;
                    break;
                }

                start += consumed;
                close = await ServeRequestAsync() || Closing;
                requestStarted = 0;
                if (_output.WrittenCount >= 64 * 1024)
                {
                    await FlushAsync();
                }
            }

            await FlushAsync();
            if (close)
            {
                return;
            }

            // The parser answers with 414 or 431 before the buffer could need to grow past its bound.
            _input.Consume(start);
            var have = _input.Count;

            // A client has the request headers timeout from its first byte to its last header, and the keep-alive
            // timeout between requests; a trickle of bytes extends neither.
            if (have > 0 && requestStarted == 0)
            {
                requestStarted = _settings.Time.GetTimestamp();
            }

            var deadline = have == 0
                ? _settings.Time.GetTimestamp() + Ticks(_settings.KeepAliveTimeout)
                : requestStarted + Ticks(_settings.RequestHeadersTimeout);
            if (!BeginRead(idle: have == 0, deadline))
            {
                return;
            }

            int read;
            Volatile.Write(ref _read, Reading);
            try
            {
                read = await Tls.ReadAsync(_input.Free, _readTimeout.Token);
            }
            catch (OperationCanceledException) when (have > 0 && !Closing)
            {
                // The request headers timeout: an answer that says so (RFC 9110 section 15.5.9), then the close.
                WriteError(new Http1Error(408, "Request Timeout", $"the request headers did not arrive within {_settings.RequestHeadersTimeout.TotalSeconds} s"));
                await FlushAsync();
                return;
            }

            if (Interlocked.Exchange(ref _read, NotReading) == TimedOut)
            {
                // The sweep timed this wait out as the bytes arrived: its cancellation is for no later read.
                var spent = _readTimeout;
                _readTimeout = new CancellationTokenSource();
                spent.Dispose();
            }

            EndRead();
            if (read == 0)
            {
                return;
            }

            if (have == 0)
            {
                requestStarted = _settings.Time.GetTimestamp();
            }

            _input.Received(read);
        }
    }

    protected override void OnFailed(Exception exception) => LogPipelineFailed(_settings.Logger, exception);

    protected override void OnClosed() => _readTimeout.Dispose();

    /// <summary>
    /// Ends an expired wait: a read is cancelled (the loop answers 408 to a partial request and closes); a write
    /// cannot be, so a client that stopped reading its answers loses the socket.
    /// </summary>
    public override void Expire()
    {
        if (Writing)
        {
            Abort();
        }
        else
        {
            // Taken before the claim: a source the loop has replaced since is one no read waits on.
            var timeout = _readTimeout;
            if (Interlocked.CompareExchange(ref _read, TimedOut, Reading) != Reading)
            {
                return; // the read completed: the connection is busy, not late
            }

            try
            {
                timeout.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended, or its loop replaced the source, while the sweep looked at it.
            }
        }
    }

    /// <summary>
    /// Whether parsing could end in a request or an error: a line end followed by an empty line, a request line
    /// already past its limit, or a full buffer. A client trickling a large head byte by byte is parsed once, not once per read.
    /// </summary>
    private bool MayHoldHead(ReadOnlySpan<byte> pending)
    {
        var limits = _settings.Limits;
        if (pending.Length >= limits.MaxBufferedBytes - 1)
        {
            return true;
        }

        // Empty lines the parser skips before a request line are no end of a head.
        var skipped = 0;
        while (skipped < Http1Limits.SkippedEmptyLineBytes && pending[skipped..].StartsWith("\r\n"u8))
        {
            skipped += 2;
        }

        var head = pending[skipped..];
        return head.IndexOf("\n\r\n"u8) >= 0 || head.IndexOf("\n\n"u8) >= 0
            || (head.Length > limits.MaxRequestLineBytes && head[..limits.MaxRequestLineBytes].IndexOf((byte)'\n') < 0);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _settings.Time.TimestampFrequency);

    private async ValueTask FlushAsync()
    {
        if (_output.WrittenCount > 0)
        {
            // A client that pipelines and never reads would hold this write, and its slot, for ever: the keep-alive
            // timeout bounds it.
            await WriteAsync(_output.WrittenMemory, _settings.Time.GetTimestamp() + Ticks(_settings.KeepAliveTimeout));
            _output.ResetWrittenCount();
            if (_output.Capacity > RetainedBufferBytes)
            {
                _output = new ArrayBufferWriter<byte>(InitialBufferBytes);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "RDAP request refused before the pipeline: {Status}, {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "RDAP request failed in the pipeline")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception);
}
