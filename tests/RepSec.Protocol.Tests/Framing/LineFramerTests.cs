using System.Buffers;
using System.Text;
using RepSec.Protocol.Framing;

namespace RepSec.Protocol.Tests.Framing;

public sealed class LineFramerTests
{
    [Fact]
    public void Cuts_lines_and_drops_a_carriage_return()
    {
        var buffer = new ReadOnlySequence<byte>("a\r\nbc\nrest"u8.ToArray());

        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref buffer, 10, out var first));
        Assert.Equal("a", Encoding.ASCII.GetString(first.ToArray()));
        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref buffer, 10, out var second));
        Assert.Equal("bc", Encoding.ASCII.GetString(second.ToArray()));
        Assert.Equal(FrameStatus.NeedMoreData, LineFramer.TryReadLine(ref buffer, 10, out _));
        Assert.Equal("rest", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Line_at_the_limit_passes_and_one_byte_more_does_not()
    {
        var exact = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 8) + "\r\n"));
        var over = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 9) + "\n"));

        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref exact, 8, out _));
        Assert.Equal(FrameStatus.TooLarge, LineFramer.TryReadLine(ref over, 8, out _));
    }

    [Fact]
    public void Unterminated_data_beyond_the_limit_is_too_large_without_waiting_for_a_newline()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[100]);

        Assert.Equal(FrameStatus.TooLarge, LineFramer.TryReadLine(ref buffer, 8, out _));
    }

    [Fact]
    public void Lines_spanning_segments_are_found()
    {
        var first = new Segment("ab"u8.ToArray(), 0);
        var last = first.Append("c\r"u8.ToArray()).Append("\nz"u8.ToArray());
        var buffer = new ReadOnlySequence<byte>(first, 0, last, 2);

        Assert.Equal(FrameStatus.Line, LineFramer.TryReadLine(ref buffer, 10, out var line));
        Assert.Equal("abc", Encoding.ASCII.GetString(line.ToArray()));
        Assert.Equal("z", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
