using System.Buffers;

namespace RepSec.Fuzz;

/// <summary>Multi-segment sequences over one array, the shape a pipe hands the framer when bytes arrive in pieces.</summary>
internal static class Segments
{
    /// <summary>
    /// Cuts <paramref name="data"/> into segments whose sizes are taken from <paramref name="sizes"/> in turn
    /// (the last segment gets what is left). Returns the segments in order; there is always at least one.
    /// </summary>
    public static List<Segment> Cut(byte[] data, IReadOnlyList<int> sizes)
    {
        var segments = new List<Segment>();
        var offset = 0;
        Segment? last = null;
        do
        {
            var size = Math.Min(Math.Max(sizes[segments.Count % sizes.Count], 1), data.Length - offset);
            var segment = new Segment(data.AsMemory(offset, size), offset);
            last?.Link(segment);
            segments.Add(segment);
            last = segment;
            offset += size;
        }
        while (offset < data.Length);

        return segments;
    }

    public static ReadOnlySequence<byte> Sequence(List<Segment> segments) =>
        new(segments[0], 0, segments[^1], segments[^1].Memory.Length);

    internal sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Link(Segment next) => Next = next;
    }
}
