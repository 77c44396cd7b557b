using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using RepSec.Server.Rdap.Http.Hpack;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// Gives a request whose target encodes a NUL character the same answer over HTTP/2 as over HTTP/1.1: 400 with an
/// RDAP error body. Kestrel's HTTP/2 decodes <c>:path</c> itself and resets the stream (PROTOCOL_ERROR) when the
/// decoded path holds a NUL, before any application code runs. So this connection middleware sits between TLS and
/// Kestrel's HTTP/2 on every HTTP/2 connection of the RDAP port, follows the client's header blocks with an HPACK
/// decoder of its own (<see cref="HpackDecoder"/>), and for a request whose <c>:path</c> encodes a NUL notes its
/// stream and hands Kestrel the block with <c>%00</c> written as <c>%30</c>: a value of the same length, so that the
/// dynamic tables of the client's encoder and Kestrel's decoder stay the same size. The first middleware of the RDAP
/// pipeline then answers a noted stream as the HTTP/1.1 loop answers the same target (<see cref="TryRefuse"/>).
/// Every other frame passes unchanged, in order. Anything it cannot follow (a malformed frame or header block, one
/// over the limits) it passes on as received and stops watching the connection: Kestrel answers it as before.
/// </summary>
internal sealed class Http2TargetGuard
{
    private const int PrefaceLength = 24;
    private const int FrameHeaderLength = 9;
    private const byte HeadersFrame = 0x1;
    private const byte ContinuationFrame = 0x9;
    private const byte EndStreamFlag = 0x1;
    private const byte EndHeadersFlag = 0x4;
    private const byte PaddedFlag = 0x8;
    private const byte PriorityFlag = 0x20;
    private const int PriorityLength = 5;

    /// <summary>Noted streams kept before old ones are forgotten (<see cref="Note"/>).</summary>
    internal const int MaxNoted = 256;

    /// <summary>The raw frames of one header block held back until its last frame arrives, at most.</summary>
    private const int MaxHeldBytes = 64 * 1024;

    private readonly PipeReader _source;
    private readonly Pipe _guarded = new(new PipeOptions(useSynchronizationContext: false));
    private readonly HpackDecoder _decoder;
    private readonly int _maxFrameSize;
    private readonly ConcurrentDictionary<int, byte> _refused = new();
    private readonly ArrayBufferWriter<byte> _held = new();
    private readonly ArrayBufferWriter<byte> _block = new();
    private readonly List<HpackPathField> _paths = [];
    private byte[] _frame = [];
    private bool _prefaceSeen;
    private bool _passThrough;
    private int _blockStream;
    private bool _blockEndsStream;
    private byte[]? _blockPriority;

    internal Http2TargetGuard(PipeReader source, int headerTableSize, int maxFrameSize)
    {
        _source = source;
        _decoder = new HpackDecoder(headerTableSize);
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>What Kestrel reads instead of the connection's input.</summary>
    internal PipeReader Reader => _guarded.Reader;

    /// <summary>
    /// The connection middleware, for a listener whose HTTP/2 settings are <paramref name="headerTableSize"/> and
    /// <paramref name="maxFrameSize"/> (what Kestrel announces, so what a client's frames and header blocks may use).
    /// Connections that did not negotiate HTTP/2 pass untouched.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(int headerTableSize, int maxFrameSize) => next => async connection =>
    {
        var protocol = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? default;
        if (!protocol.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span))
        {
            await next(connection);
            return;
        }

        var transport = connection.Transport;
        var guard = new Http2TargetGuard(transport.Input, headerTableSize, maxFrameSize);
        connection.Features.Set(guard);
        connection.Transport = new GuardedTransport(guard.Reader, transport.Output);
        var pump = guard.PumpAsync(CancellationToken.None);
        try
        {
            await next(connection);
        }
        finally
        {
            // Kestrel is done with the connection: a pump waiting to pass bytes on, or for more, stops now.
            await guard.Reader.CompleteAsync();
            transport.Input.CancelPendingRead();
            await pump;
            connection.Transport = transport;
        }
    };

    /// <summary>
    /// Answers the request when its stream was noted: 400 with the RDAP error body and headers of the HTTP/1.1 loop's
    /// answer to the same target. False for every other request.
    /// </summary>
    public static bool TryRefuse(HttpContext context, out Task answered)
    {
        answered = Task.CompletedTask;
        if (context.Features.Get<Http2TargetGuard>() is not { } guard
            || context.Features.Get<IHttp2StreamIdFeature>() is not { } stream
            || !guard.TakeRefused(stream.StreamId))
        {
            return false;
        }

        var error = Http1Parser.NulTarget;
        var response = context.Response;
        response.StatusCode = error.Status;
        response.Headers.ContentType = Responses.RdapWriter.MediaType;
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.XContentTypeOptions = "nosniff";
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            error.WriteBody(json);
        }

        answered = response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
        return true;
    }

    /// <summary>
    /// Notes a stream for <see cref="TryRefuse"/>. A noted stream Kestrel resets for another reason is never answered:
    /// once <see cref="MaxNoted"/> wait, those more than that many client streams older than this one are forgotten
    /// (client stream ids only grow, and Kestrel runs far fewer streams at once), so a client cannot make the set grow.
    /// </summary>
    private void Note(int stream)
    {
        if (_refused.Count >= MaxNoted)
        {
            foreach (var old in _refused.Keys)
            {
                if (old < stream - (2 * MaxNoted))
                {
                    _refused.TryRemove(old, out _);
                }
            }
        }

        _refused[stream] = 0;
    }

    /// <summary>Whether the request on <paramref name="stream"/> was noted; true once.</summary>
    internal bool TakeRefused(int stream) => _refused.TryRemove(stream, out _);

    /// <summary>The streams noted and not yet answered, in order: for tests and the fuzz target.</summary>
    internal IReadOnlyList<int> Noted => [.. _refused.Keys.Order()];

    /// <summary>Copies the connection's input to <see cref="Reader"/>, frame by frame, until either side is done.</summary>
    internal async Task PumpAsync(CancellationToken cancellationToken)
    {
        var output = _guarded.Writer;
        try
        {
            while (true)
            {
                var result = await _source.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _source.AdvanceTo(buffer.Start);
                    break;
                }

                var consumed = Process(buffer, output);
                if (result.IsCompleted)
                {
                    Finish(buffer.Slice(consumed), output);
                    _source.AdvanceTo(buffer.End);
                    await output.FlushAsync(cancellationToken);
                    break;
                }

                _source.AdvanceTo(consumed, buffer.End);
                var flushed = await output.FlushAsync(cancellationToken);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }

            await output.CompleteAsync();
        }
        catch (Exception exception)
        {
            await output.CompleteAsync(exception);
        }
    }

    /// <summary>Passes on each whole frame of <paramref name="buffer"/>; returns where the first incomplete one starts.</summary>
    internal SequencePosition Process(ReadOnlySequence<byte> buffer, IBufferWriter<byte> output)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!_prefaceSeen)
        {
            if (reader.Remaining < PrefaceLength)
            {
                return reader.Position;
            }

            Pass(buffer.Slice(0, PrefaceLength), output);
            reader.Advance(PrefaceLength);
            _prefaceSeen = true;
        }

        Span<byte> header = stackalloc byte[FrameHeaderLength];
        while (!_passThrough && reader.TryCopyTo(header))
        {
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            if (length > _maxFrameSize)
            {
                StopWatching(output);
                break;
            }

            if (reader.Remaining < FrameHeaderLength + length)
            {
                break;
            }

            var frame = reader.UnreadSequence.Slice(0, FrameHeaderLength + length);
            if (_frame.Length < frame.Length)
            {
                _frame = new byte[Math.Max(frame.Length, 1024)];
            }

            frame.CopyTo(_frame);
            OnFrame(_frame.AsSpan(0, (int)frame.Length), output);
            reader.Advance(frame.Length);
        }

        if (_passThrough)
        {
            Pass(reader.UnreadSequence, output);
            reader.AdvanceToEnd();
        }

        return reader.Position;
    }

    private void OnFrame(ReadOnlySpan<byte> frame, IBufferWriter<byte> output)
    {
        var type = frame[3];
        var flags = frame[4];
        var stream = BinaryPrimitives.ReadInt32BigEndian(frame[5..]) & 0x7FFFFFFF;
        var payload = frame[FrameHeaderLength..];
        if (_blockStream != 0)
        {
            _held.Write(frame);
            if (type != ContinuationFrame || stream != _blockStream || _held.WrittenCount > MaxHeldBytes)
            {
                StopWatching(output);
                return;
            }

            _block.Write(payload);
            if ((flags & EndHeadersFlag) != 0)
            {
                EndBlock(output);
            }

            return;
        }

        if (type != HeadersFrame || stream == 0)
        {
            output.Write(frame);
            return;
        }

        _held.Write(frame);
        var padding = 0;
        if ((flags & PaddedFlag) != 0)
        {
            if (payload.IsEmpty)
            {
                StopWatching(output);
                return;
            }

            padding = payload[0];
            payload = payload[1..];
        }

        _blockPriority = null;
        if ((flags & PriorityFlag) != 0)
        {
            if (payload.Length < PriorityLength)
            {
                StopWatching(output);
                return;
            }

            _blockPriority = payload[..PriorityLength].ToArray();
            payload = payload[PriorityLength..];
        }

        if (padding > payload.Length)
        {
            StopWatching(output);
            return;
        }

        _blockStream = stream;
        _blockEndsStream = (flags & EndStreamFlag) != 0;
        _block.Write(payload[..^padding]);
        if ((flags & EndHeadersFlag) != 0)
        {
            EndBlock(output);
        }
    }

    /// <summary>A whole header block: decoded, its stream noted when a <c>:path</c> encodes a NUL, and passed on.</summary>
    private void EndBlock(IBufferWriter<byte> output)
    {
        _paths.Clear();
        if (!_decoder.TryDecode(_block.WrittenSpan, _paths))
        {
            StopWatching(output);
            return;
        }

        var refused = false;
        var literal = false;
        foreach (var path in _paths)
        {
            if (Http1Parser.EncodesNul(path.Value))
            {
                refused = true;
                literal |= path.IsLiteral;
            }
        }

        if (refused)
        {
            Note(_blockStream);
        }

        if (literal)
        {
            WriteRewritten(output);
        }
        else
        {
            output.Write(_held.WrittenSpan);
        }

        _held.ResetWrittenCount();
        _block.ResetWrittenCount();
        _blockStream = 0;
    }

    /// <summary>The block again with each literal <c>:path</c> holding a NUL written with <c>%30</c> for <c>%00</c>, in frames Kestrel accepts.</summary>
    private void WriteRewritten(IBufferWriter<byte> output)
    {
        var block = _block.WrittenSpan;
        var rewritten = new ArrayBufferWriter<byte>(block.Length + 64);
        var at = 0;
        foreach (var path in _paths)
        {
            if (path.IsLiteral && Http1Parser.EncodesNul(path.Value))
            {
                rewritten.Write(block[at..path.Start]);
                rewritten.Write(HpackDecoder.EncodeString(path.Value.Replace("%00", "%30", StringComparison.Ordinal)));
                at = path.End;
            }
        }

        rewritten.Write(block[at..]);
        var rest = rewritten.WrittenSpan;
        var first = true;
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        do
        {
            var room = _maxFrameSize - (first && _blockPriority is not null ? PriorityLength : 0);
            var chunk = rest[..Math.Min(room, rest.Length)];
            rest = rest[chunk.Length..];
            var length = chunk.Length + (first && _blockPriority is not null ? PriorityLength : 0);
            header[0] = (byte)(length >> 16);
            header[1] = (byte)(length >> 8);
            header[2] = (byte)length;
            header[3] = first ? HeadersFrame : ContinuationFrame;
            header[4] = (byte)((rest.IsEmpty ? EndHeadersFlag : 0)
                | (first && _blockEndsStream ? EndStreamFlag : 0)
                | (first && _blockPriority is not null ? PriorityFlag : 0));
            BinaryPrimitives.WriteInt32BigEndian(header[5..], _blockStream);
            output.Write(header);
            if (first && _blockPriority is not null)
            {
                output.Write(_blockPriority);
            }

            output.Write(chunk);
            first = false;
        }
        while (!rest.IsEmpty);
    }

    /// <summary>The client is done: what is left of an unfinished frame or block goes to Kestrel to judge.</summary>
    internal void Finish(ReadOnlySequence<byte> rest, IBufferWriter<byte> output)
    {
        StopWatching(output);
        Pass(rest, output);
    }

    /// <summary>From here on every byte passes as received, beginning with the frames held back.</summary>
    private void StopWatching(IBufferWriter<byte> output)
    {
        output.Write(_held.WrittenSpan);
        _held.ResetWrittenCount();
        _block.ResetWrittenCount();
        _blockStream = 0;
        _passThrough = true;
    }

    private static void Pass(ReadOnlySequence<byte> bytes, IBufferWriter<byte> output)
    {
        foreach (var segment in bytes)
        {
            output.Write(segment.Span);
        }
    }

    private sealed class GuardedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
