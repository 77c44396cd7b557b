using System.Buffers;
using RepSec.Protocol.Framing;
using RepSec.Protocol.Parsing;

namespace RepSec.Fuzz;

/// <summary>
/// The line framer over arbitrary bytes. However the bytes are cut into segments, and however they arrive
/// (all at once or piece by piece), and in its sequence or its span form, the framer must cut the same lines and end in the same state; a line is
/// never longer than the limit, never holds an LF, and is exactly the bytes before its terminator.
/// </summary>
internal static class FrameTarget
{
    /// <summary>
    /// Streaming rescans the pending bytes segment by segment after each piece, so its cost grows with the square
    /// of the number of pieces: above this size the pieces grow with the input (a 24 KB input in 2-byte pieces
    /// took 5 s, which AFL counts as a hang). Real pipes hand over segments of kilobytes.
    /// </summary>
    private const int MaxBytewiseLength = 1024;

    public static void Run(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        // A small limit derived from the input reaches the too-large paths; the default is what the server runs.
        Check(bytes, bytes.Length == 0 ? 0 : bytes[0] % 64);
        Check(bytes, ParserLimits.Default.MaxLineBytes);
    }

    /// <summary>The framing of <paramref name="bytes"/> as one segment, checked against the data it came from.</summary>
    public static Outcome FrameWhole(byte[] bytes, int limit)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var outcome = Drain(ref buffer, limit, new Outcome());
        CheckAgainstSource(bytes, outcome);
        return outcome;
    }

    private static void Check(byte[] bytes, int limit)
    {
        var expected = FrameWhole(bytes, limit);
        foreach (var sizes in Segmentations(bytes))
        {
            var segments = Segments.Cut(bytes, sizes);
            var buffer = Segments.Sequence(segments);
            Same(expected, Drain(ref buffer, limit, new Outcome()), "segmented", sizes);
            Same(expected, Streamed(segments, limit), "streamed", sizes);
        }

        Same(expected, FrameContiguous(bytes, limit), "contiguous, as the server's connection loop frames", [bytes.Length]);
    }

    /// <summary>The span form of the framer over one buffer, as <c>RepSecConnection</c> uses it.</summary>
    private static Outcome FrameContiguous(byte[] bytes, int limit)
    {
        var outcome = new Outcome();
        var start = 0;
        while (true)
        {
            var status = LineFramer.TryReadLine(bytes.AsSpan(start), limit, out var length, out var consumed);
            outcome.End = status;
            switch (status)
            {
                case FrameStatus.Line:
                    Invariant.That(consumed == length + 1 || consumed == length + 2, "the buffer moved by more than the line and its terminator");
                    outcome.Lines.Add(bytes.AsSpan(start, length).ToArray());
                    start += consumed;
                    continue;
                case FrameStatus.NeedMoreData:
                    Invariant.That(consumed == 0, "the buffer moved without a line");
                    outcome.Pending = bytes.Length - start;
                    return outcome;
                default:
                    outcome.Pending = -1;
                    return outcome;
            }
        }
    }

    private static IEnumerable<int[]> Segmentations(byte[] bytes)
    {
        var scale = 1 + (bytes.Length / MaxBytewiseLength);
        yield return [scale];
        yield return [2 * scale];
        yield return [7 * scale, scale, 64 * scale];
        if (bytes.Length > 0)
        {
            // Cut points the fuzzer controls: each input byte names the size of one segment.
            yield return bytes.Take(64).Select(b => (1 + (b % 32)) * scale).ToArray();
        }
    }

    /// <summary>Feeds the segments one at a time, as a connection would receive them, framing after each.</summary>
    private static Outcome Streamed(List<Segments.Segment> segments, int limit)
    {
        var outcome = new Outcome();
        var buffer = new ReadOnlySequence<byte>(segments[0], 0, segments[0], 0);
        foreach (var received in segments)
        {
            var start = buffer.Start;
            buffer = new ReadOnlySequence<byte>((Segments.Segment)start.GetObject()!, start.GetInteger(), received, received.Memory.Length);
            Drain(ref buffer, limit, outcome);
            if (outcome.End == FrameStatus.TooLarge)
            {
                break;
            }
        }

        return outcome;
    }

    private static Outcome Drain(ref ReadOnlySequence<byte> buffer, int limit, Outcome outcome)
    {
        while (true)
        {
            var before = buffer.Length;
            var status = LineFramer.TryReadLine(ref buffer, limit, out var line);
            outcome.End = status;
            switch (status)
            {
                case FrameStatus.Line:
                    Invariant.That(line.Length <= limit, $"a line of {line.Length} bytes passed the limit of {limit}");
                    Invariant.That(line.PositionOf((byte)'\n') is null, "a line holds an LF");
                    Invariant.That(before - buffer.Length is var used && (used == line.Length + 1 || used == line.Length + 2),
                        "the buffer moved by more than the line and its terminator");
                    outcome.Lines.Add(line.ToArray());
                    continue;
                case FrameStatus.NeedMoreData:
                    Invariant.That(before == buffer.Length, "the buffer moved without a line");
                    Invariant.That(buffer.PositionOf((byte)'\n') is null, "more data was asked for while a whole line was buffered");
                    Invariant.That(buffer.Length <= limit + 1, $"{buffer.Length} unterminated bytes held under a limit of {limit}");
                    outcome.Pending = buffer.Length;
                    return outcome;
                default:
                    outcome.Pending = -1;
                    return outcome;
            }
        }
    }

    /// <summary>Each line is the source bytes up to an LF, less one CR right before it.</summary>
    private static void CheckAgainstSource(byte[] bytes, Outcome outcome)
    {
        var offset = 0;
        foreach (var line in outcome.Lines)
        {
            Invariant.That(bytes.AsSpan(offset).StartsWith(line), "a line is not the bytes it was cut from");
            offset += line.Length;
            var rest = bytes.AsSpan(offset);
            if (rest.StartsWith("\r\n"u8))
            {
                offset += 2;
            }
            else
            {
                Invariant.That(rest.StartsWith("\n"u8), "a line does not end at an LF");
                Invariant.That(line.Length == 0 || line[^1] != (byte)'\r', "the CR before an LF was kept");
                offset += 1;
            }
        }

        if (outcome.End == FrameStatus.NeedMoreData)
        {
            Invariant.That(offset + outcome.Pending == bytes.Length, "bytes were lost between lines");
        }
    }

    private static void Same(Outcome expected, Outcome actual, string how, int[] sizes)
    {
        var context = $"{how} in pieces of [{string.Join(',', sizes)}]";
        Invariant.That(expected.End == actual.End, $"{context}: ended {actual.End}, in one piece {expected.End}");
        Invariant.That(expected.Pending == actual.Pending, $"{context}: {actual.Pending} bytes pending, in one piece {expected.Pending}");
        Invariant.That(expected.Lines.Count == actual.Lines.Count, $"{context}: {actual.Lines.Count} lines, in one piece {expected.Lines.Count}");
        for (var i = 0; i < expected.Lines.Count; i++)
        {
            Invariant.That(expected.Lines[i].AsSpan().SequenceEqual(actual.Lines[i]), $"{context}: line {i} differs");
        }
    }

    /// <summary>What framing produced: the lines, the final status, and the bytes left pending (-1 after TooLarge).</summary>
    internal sealed class Outcome
    {
        public List<byte[]> Lines { get; } = [];

        public FrameStatus End { get; set; }

        public long Pending { get; set; }
    }
}
