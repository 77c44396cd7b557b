using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RepSec.Protocol.Framing;

namespace RepSec.Fuzz.Tests;

/// <summary>Properties of the line framer: against a plain model of the framing rules, in any segmentation.</summary>
public sealed class FramingProperties
{
    private static Gen<byte[]> LineContent =>
        from length in Gen.Frequency((4, Gen.Choose(0, 12)), (1, Gen.Choose(13, 100)))
        from bytes in Gen.ArrayOf(Gen.OneOf(Gen.Elements<byte>((byte)'\r', (byte)'{', (byte)'a', 0x00, 0xFF), Gen.Choose(0, 255).Select(b => (byte)b)), length)
        select bytes.Where(b => b != (byte)'\n').ToArray();

    /// <summary>Lines with LF or CRLF terminators, then an unterminated tail.</summary>
    private static Gen<(byte[][] Lines, bool[] Crlf, byte[] Tail)> Stream =>
        from count in Gen.Choose(0, 8)
        from lines in Gen.ArrayOf(LineContent, count)
        from crlf in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), count)
        from tail in LineContent
        select (lines, crlf, tail);

    private static Gen<int[]> Sizes => Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 40), n));

    [Property(MaxTest = 1000)]
    public Property Framing_in_any_segmentation_matches_the_model() =>
        Prop.ForAll(Stream.ToArbitrary(), Gen.Choose(0, 60).ToArbitrary(), Sizes.ToArbitrary(), (stream, limit, sizes) =>
        {
            var bytes = stream.Lines.SelectMany((line, i) => line.Concat(stream.Crlf[i] ? "\r\n"u8.ToArray() : "\n"u8.ToArray()))
                .Concat(stream.Tail).ToArray();

            var (expectedLines, expectedEnd) = Model(stream.Lines, stream.Crlf, stream.Tail, limit);
            var (lines, end) = FrameStreamed(bytes, sizes, limit);

            Assert.Equal(expectedEnd, end);
            Assert.Equal(expectedLines.Count, lines.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                Assert.Equal(expectedLines[i], lines[i]);
            }
        });

    [Property(MaxTest = 1000)]
    public Property Arbitrary_bytes_frame_alike_in_every_segmentation() =>
        // The fuzz target cuts the input several ways, whole and streamed, and throws on any difference.
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Stream.ToArbitrary(), (noise, stream) =>
        {
            var bytes = stream.Lines.SelectMany(l => l.Append((byte)'\n')).Concat(noise).ToArray();
            FrameTarget.Run(bytes);
        });

    [Property(MaxTest = 500)]
    public Property A_line_passes_exactly_when_it_is_within_the_limit() =>
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 300).ToArbitrary(), Gen.Elements("", "\n", "\r\n").ToArbitrary(), (length, limit, terminator) =>
        {
            var buffer = new ReadOnlySequence<byte>([.. new byte[length].Select(_ => (byte)'x'), .. System.Text.Encoding.ASCII.GetBytes(terminator)]);

            var status = LineFramer.TryReadLine(ref buffer, limit, out var line);

            var expected = terminator.Length == 0
                ? (length > limit + 1 ? FrameStatus.TooLarge : FrameStatus.NeedMoreData)
                : (length > limit ? FrameStatus.TooLarge : FrameStatus.Line);
            Assert.Equal(expected, status);
            Assert.True(status != FrameStatus.Line || line.Length == length);
        });

    /// <summary>The rules of docs/protocol.md: LF ends a line, one CR before it is dropped, the limit counts the rest.</summary>
    private static (List<byte[]> Lines, FrameStatus End) Model(byte[][] contents, bool[] crlf, byte[] tail, int limit)
    {
        var lines = new List<byte[]>();
        for (var i = 0; i < contents.Length; i++)
        {
            // A CRLF terminator gives up its own CR; with a bare LF a CR that ends the content is the one dropped.
            var content = contents[i];
            var line = !crlf[i] && content.Length > 0 && content[^1] == (byte)'\r' ? content[..^1] : content;
            if (line.Length > limit)
            {
                return (lines, FrameStatus.TooLarge);
            }

            lines.Add(line);
        }

        return (lines, tail.Length > limit + 1 ? FrameStatus.TooLarge : FrameStatus.NeedMoreData);
    }

    /// <summary>The server's read loop: bytes arrive in pieces, and lines are cut after each.</summary>
    private static (List<byte[]> Lines, FrameStatus End) FrameStreamed(byte[] bytes, int[] sizes, int limit)
    {
        var lines = new List<byte[]>();
        var received = 0;
        var pending = Array.Empty<byte>();
        var piece = 0;
        do
        {
            var size = Math.Min(sizes[piece++ % sizes.Length], bytes.Length - received);
            // What a pipe would hold: the unconsumed bytes and the new piece, in segments of their own.
            var chunk = bytes.AsSpan(received, size).ToArray();
            received += size;
            var whole = pending.Concat(chunk).ToArray();
            var buffer = Segments.Sequence(Segments.Cut(whole, pending.Length == 0 ? [Math.Max(whole.Length, 1)] : [pending.Length, chunk.Length]));
            FrameStatus status;
            while ((status = LineFramer.TryReadLine(ref buffer, limit, out var line)) == FrameStatus.Line)
            {
                lines.Add(line.ToArray());
            }

            if (status == FrameStatus.TooLarge)
            {
                return (lines, status);
            }

            pending = buffer.ToArray();
        }
        while (received < bytes.Length);

        return (lines, FrameStatus.NeedMoreData);
    }
}
