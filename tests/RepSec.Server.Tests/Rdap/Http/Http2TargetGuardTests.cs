using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using RepSec.Server.Rdap.Http;
using RepSec.Server.Rdap.Http.Hpack;
using RepSec.Server.Tests.Rdap.Http.Hpack;

namespace RepSec.Server.Tests.Rdap.Http;

/// <summary>The frames a client sends, as Kestrel receives them after the guard.</summary>
public sealed class Http2TargetGuardTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly byte[] Settings = Frame(0x4, 0, 0, []);

    [Fact]
    public void Frames_without_a_nul_target_pass_unchanged_byte_for_byte()
    {
        byte[] input = [.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, [0x82, 0x87, 0x44, .. HpackDecoder.EncodeString("/rdap/help")]), .. Frame(0x8, 0, 0, [0, 0, 1, 0])];

        var (output, guard) = Run(input);

        Assert.Equal(input, output);
        Assert.False(Refused(guard, 1));
    }

    [Fact]
    public void A_literal_nul_target_is_noted_and_rewritten_to_the_same_length()
    {
        var block = Block("/rdap/domain/%00%ff..bad", indexing: true);
        byte[] input = [.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, block)];

        var (output, guard) = Run(input);

        var expected = Block("/rdap/domain/%30%ff..bad", indexing: true);
        Assert.Equal([.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, expected)], output);
        Assert.True(Refused(guard, 1));
        Assert.False(Refused(guard, 1)); // taken once
    }

    [Fact]
    public void A_huffman_target_split_over_continuations_with_padding_and_priority_is_rewritten_into_one_frame()
    {
        var huffman = HpackHuffmanTests.Encode("/rdap/x?q=%00"u8);
        byte[] block = [0x82, 0x87, 0x04, (byte)(0x80 | huffman.Length), .. huffman];
        byte[] priority = [0, 0, 0, 0, 15];
        byte[] headers = [3, .. priority, .. block[..2], 0, 0, 0]; // pad length 3, priority, two octets, padding
        byte[] input = [.. Preface, .. Frame(0x1, 0x8 | 0x20 | 0x1, 3, headers), .. Frame(0x9, 0, 3, block[2..5]), .. Frame(0x9, 0x4, 3, block[5..])];

        var (output, guard) = Run(input);

        byte[] rewritten = [0x82, 0x87, 0x04, .. HpackDecoder.EncodeString("/rdap/x?q=%30")];
        Assert.Equal([.. Preface, .. Frame(0x1, 0x4 | 0x20 | 0x1, 3, [.. priority, .. rewritten])], output);
        Assert.True(Refused(guard, 3));
    }

    [Fact]
    public void A_later_reference_to_an_indexed_nul_target_is_noted_and_passes_as_sent()
    {
        var first = Frame(0x1, 0x5, 1, Block("/rdap/%00", indexing: true));
        var second = Frame(0x1, 0x5, 3, [0x82, 0x87, 0xBE]);
        byte[] input = [.. Preface, .. first, .. second];

        var (output, guard) = Run(input);

        Assert.Equal([.. Preface, .. Frame(0x1, 0x5, 1, Block("/rdap/%30", indexing: true)), .. second], output);
        Assert.True(Refused(guard, 1));
        Assert.True(Refused(guard, 3));
    }

    [Fact]
    public void A_block_too_long_for_one_frame_after_rewriting_is_split_into_continuations()
    {
        // A Huffman path of digits (five bits each) grows by 3/8 when written plainly.
        var path = "/rdap/domain/%00" + new string('1', 200);
        var huffman = HpackHuffmanTests.Encode(System.Text.Encoding.ASCII.GetBytes(path));
        byte[] block = [0x82, 0x04, 0xFF, (byte)(huffman.Length - 127), .. huffman];
        byte[] input = [.. Preface, .. Frame(0x1, 0x5, 1, block)];
        Assert.Equal(0x80, huffman.Length & 0x80); // one continuation octet of length

        var (output, guard) = Run(input, maxFrameSize: 160);

        Assert.True(Refused(guard, 1));
        var frames = Frames(output.AsSpan(Preface.Length));
        Assert.Equal([0x1, 0x9], frames.Select(f => f.Type));
        Assert.Equal([0x1, 0x4], frames.Select(f => f.Flags));
        Assert.All(frames, f => Assert.True(f.Payload.Length <= 160));
        var paths = new List<HpackPathField>();
        Assert.True(new HpackDecoder(4096).TryDecode([.. frames[0].Payload, .. frames[1].Payload], paths));
        Assert.Equal(path.Replace("%00", "%30", StringComparison.Ordinal), Assert.Single(paths).Value);
    }

    [Fact]
    public void A_malformed_block_passes_as_received_and_the_guard_stops_watching()
    {
        var bad = Frame(0x1, 0x5, 1, [0x80]);
        var after = Frame(0x1, 0x5, 3, Block("/rdap/%00", indexing: false));
        byte[] input = [.. Preface, .. bad, .. after];

        var (output, guard) = Run(input);

        Assert.Equal(input, output);
        Assert.False(Refused(guard, 3));
    }

    [Fact]
    public void A_frame_over_the_limit_and_an_interrupted_block_pass_as_received()
    {
        byte[] oversized = [.. Preface, .. Frame(0x0, 0, 1, new byte[200]), .. Frame(0x1, 0x5, 3, Block("/%00", indexing: false))];
        byte[] interrupted = [.. Preface, .. Frame(0x1, 0x1, 1, [0x82]), .. Frame(0x0, 0, 1, [1]), .. Frame(0x1, 0x5, 3, Block("/%00", indexing: false))];

        Assert.Equal(oversized, Run(oversized, maxFrameSize: 100).Output);
        Assert.Equal(interrupted, Run(interrupted).Output);
    }

    [Fact]
    public void Input_arriving_a_byte_at_a_time_gives_the_same_output()
    {
        byte[] input = [.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, Block("/rdap/domain/%00", indexing: true)), .. Frame(0x1, 0x5, 3, [0x82, 0x87, 0xBE])];
        var whole = Run(input).Output;
        var guard = new Http2TargetGuard(PipeReader.Create(Stream.Null), 4096, 16384);
        var output = new ArrayBufferWriter<byte>();
        var pending = Array.Empty<byte>();

        foreach (var octet in input)
        {
            byte[] buffer = [.. pending, octet];
            var sequence = new ReadOnlySequence<byte>(buffer);
            var consumed = guard.Process(sequence, output);
            pending = sequence.Slice(consumed).ToArray();
        }

        Assert.Empty(pending);
        Assert.Equal(whole, output.WrittenSpan.ToArray());
        Assert.True(Refused(guard, 1));
        Assert.True(Refused(guard, 3));
    }

    [Fact]
    public void Noted_streams_never_answered_are_forgotten_once_many_newer_ones_wait()
    {
        var guard = new Http2TargetGuard(PipeReader.Create(Stream.Null), 4096, 16384);
        var output = new ArrayBufferWriter<byte>();
        guard.Process(new ReadOnlySequence<byte>(Preface), output);
        var last = 0;
        for (var i = 0; i < 10 * Http2TargetGuard.MaxNoted; i++)
        {
            last = (2 * i) + 1;
            guard.Process(new ReadOnlySequence<byte>(Frame(0x1, 0x5, last, Block($"/rdap/{i}/%00", indexing: false))), output);
        }

        Assert.InRange(guard.Noted.Count, Http2TargetGuard.MaxNoted, 2 * Http2TargetGuard.MaxNoted);
        Assert.Contains(last, guard.Noted);
        Assert.DoesNotContain(1, guard.Noted);
    }

    [Fact]
    public async Task The_pump_copies_the_connection_input_and_ends_with_it()
    {
        byte[] input = [.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, Block("/rdap/domain/%00", indexing: true)), 0, 0];
        var source = new Pipe();
        var guard = new Http2TargetGuard(source.Reader, 4096, 16384);
        var pump = guard.PumpAsync(CancellationToken.None);

        await source.Writer.WriteAsync(input);
        await source.Writer.CompleteAsync();
        await pump;
        var read = await guard.Reader.ReadAtLeastAsync(int.MaxValue);

        Assert.True(read.IsCompleted);
        Assert.Equal([.. Preface, .. Settings, .. Frame(0x1, 0x5, 1, Block("/rdap/domain/%30", indexing: true)), 0, 0], read.Buffer.ToArray());
    }

    private static byte[] Block(string path, bool indexing) => [0x82, 0x87, (byte)(indexing ? 0x44 : 0x04), .. HpackDecoder.EncodeString(path)];

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    private static List<(byte Type, byte Flags, byte[] Payload)> Frames(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<(byte, byte, byte[])>();
        while (!bytes.IsEmpty)
        {
            var length = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
            frames.Add((bytes[3], bytes[4], bytes.Slice(9, length).ToArray()));
            bytes = bytes[(9 + length)..];
        }

        return frames;
    }

    private static (byte[] Output, Http2TargetGuard Guard) Run(byte[] input, int maxFrameSize = 16384)
    {
        var guard = new Http2TargetGuard(PipeReader.Create(Stream.Null), 4096, maxFrameSize);
        var output = new ArrayBufferWriter<byte>();
        var sequence = new ReadOnlySequence<byte>(input);
        var consumed = guard.Process(sequence, output);
        Assert.Equal(sequence.End, consumed);
        return (output.WrittenSpan.ToArray(), guard);
    }

    private static bool Refused(Http2TargetGuard guard, int stream) => guard.TakeRefused(stream);
}
