using System.Buffers;
using System.IO.Pipelines;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// A response body held in memory until the pipeline returns, so that the head, with its Content-Length, and
/// the body leave in one write (one TLS record, one send for an answer of ordinary size). Readable as a
/// <see cref="PipeWriter"/> (<c>Response.BodyWriter</c>) and as a <see cref="Stream"/> (<c>Response.Body</c>).
/// RDAP answers are bounded by the search limits, so the buffer is too. A long answer written in parts (a
/// blocklist) leaves as it is written: a flush with at least <see cref="StreamingBytes"/> held hands them to
/// <see cref="Streamer"/>, which sends them as a chunk (Http1Connection.Response.cs).
/// </summary>
internal sealed class ResponseBody : PipeWriter
{
    public const int StreamingBytes = 32 * 1024;

    private ArrayBufferWriter<byte> _buffer = new(Http1Connection.InitialBufferBytes);

    public ResponseBody() => Stream = new BodyStream(this);

    /// <summary>Sends what is held so far (and empties the buffer); set by the connection.</summary>
    public Func<ValueTask>? Streamer { get; set; }

    public Stream Stream { get; }

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public int Length => _buffer.WrittenCount;

    public void Reset()
    {
        _buffer.ResetWrittenCount();
        if (_buffer.Capacity > Http1Connection.RetainedBufferBytes)
        {
            _buffer = new ArrayBufferWriter<byte>(Http1Connection.InitialBufferBytes);
        }
    }

    public override void Advance(int bytes) => _buffer.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        Streamer is { } streamer && _buffer.WrittenCount >= StreamingBytes ? SendAsync(streamer) : new(new FlushResult(false, false));

    private static async ValueTask<FlushResult> SendAsync(Func<ValueTask> streamer)
    {
        await streamer();
        return new FlushResult(false, false);
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffer.WrittenCount;

    private sealed class BodyStream(ResponseBody body) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => body._buffer.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => body.FlushAsync(cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
