using System.Buffers;
using System.IO.Pipelines;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// A response body held in memory until the pipeline returns, so that the head, with its Content-Length, and
/// the body leave in one write (one TLS record, one send for an answer of ordinary size). Readable as a
/// <see cref="PipeWriter"/> (<c>Response.BodyWriter</c>) and as a <see cref="Stream"/> (<c>Response.Body</c>).
/// RDAP answers are bounded by the search limits, so the buffer is too.
/// </summary>
internal sealed class ResponseBody : PipeWriter
{
    private ArrayBufferWriter<byte> _buffer = new(Http1Connection.InitialBufferBytes);

    public ResponseBody() => Stream = new BodyStream(this);

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

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => new(new FlushResult(false, false));

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

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
