using System.Buffers;

namespace RepSec.Protocol.Framing;

public enum FrameStatus
{
    /// <summary>A complete line was cut from the buffer.</summary>
    Line,
    /// <summary>No complete line yet and the buffer is within the limit.</summary>
    NeedMoreData,
    /// <summary>The pending line is longer than the limit; the connection must be closed after the reply.</summary>
    TooLarge,
}

/// <summary>
/// Cuts LF-terminated lines from a byte sequence without copying or allocating.
/// A CR right before the LF is dropped; the limit counts the line's bytes without the terminator.
/// </summary>
public static class LineFramer
{
    public static FrameStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineBytes, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            // A pending CR may still be dropped, so one extra byte is allowed before giving up.
            return buffer.Length > maxLineBytes + 1 ? FrameStatus.TooLarge : FrameStatus.NeedMoreData;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (!line.IsEmpty && EndsWithCarriageReturn(line))
        {
            line = line.Slice(0, line.Length - 1);
        }

        return line.Length > maxLineBytes ? FrameStatus.TooLarge : FrameStatus.Line;
    }

    /// <summary>
    /// The same cut on one contiguous buffer: <paramref name="lineLength"/> is the line's length without its
    /// terminator, <paramref name="consumed"/> what it takes from the buffer, terminator included.
    /// </summary>
    public static FrameStatus TryReadLine(ReadOnlySpan<byte> buffer, int maxLineBytes, out int lineLength, out int consumed)
    {
        var newline = buffer.IndexOf((byte)'\n');
        if (newline < 0)
        {
            lineLength = consumed = 0;
            return buffer.Length > maxLineBytes + 1 ? FrameStatus.TooLarge : FrameStatus.NeedMoreData;
        }

        consumed = newline + 1;
        lineLength = newline > 0 && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        return lineLength > maxLineBytes ? FrameStatus.TooLarge : FrameStatus.Line;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan[^1] == (byte)'\r';
        }

        return line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
    }
}
