using System.Buffers;
using System.IO.Pipelines;
using RepSec.Server.Rdap.Http;

namespace RepSec.Fuzz;

/// <summary>
/// What a client sends after the HTTP/2 preface, through <see cref="Http2TargetGuard"/> (and so its HPACK decoder)
/// as Kestrel would receive it. Never throws; gives the same bytes however the input is cut into reads; passes the
/// input unchanged when it notes no request; and is idempotent: its output through a second guard comes out the same,
/// with no request noted, since every <c>%00</c> a path carried was written out.
/// </summary>
internal static class Http2Target
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Small, so that short inputs reach the limit and the splitting of rewritten blocks.</summary>
    private const int MaxFrameSize = 64;

    public static void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        // The first byte chooses the size of the reads the rest arrives in.
        var readSize = data[0] % 17 + 1;
        byte[] input = [.. Preface, .. data[1..]];

        var (whole, wholeNoted) = Guard(input, input.Length);
        var (pieces, piecesNoted) = Guard(input, readSize);
        Invariant.That(whole.AsSpan().SequenceEqual(pieces), $"reads of {readSize} bytes give other output than one read");
        Invariant.That(wholeNoted.SequenceEqual(piecesNoted), $"reads of {readSize} bytes note other requests than one read");
        if (wholeNoted.Count == 0)
        {
            Invariant.That(whole.AsSpan().SequenceEqual(input), "the input was changed though no request was noted");
            return;
        }

        var (again, againNoted) = Guard(whole, whole.Length);
        Invariant.That(againNoted.Count == 0, $"the output still carries a NUL target (streams {string.Join(' ', againNoted)})");
        Invariant.That(again.AsSpan().SequenceEqual(whole), "the output changes on a second pass");
    }

    private static (byte[] Output, IReadOnlyList<int> Noted) Guard(byte[] input, int readSize)
    {
        var guard = new Http2TargetGuard(PipeReader.Create(Stream.Null), 4096, MaxFrameSize);
        var output = new ArrayBufferWriter<byte>();
        var pending = new List<byte>();
        for (var at = 0; at < input.Length; at += readSize)
        {
            pending.AddRange(input.AsSpan(at, Math.Min(readSize, input.Length - at)));
            var sequence = new ReadOnlySequence<byte>([.. pending]);
            var consumed = guard.Process(sequence, output);
            pending = [.. sequence.Slice(consumed).ToArray()];
        }

        guard.Finish(new ReadOnlySequence<byte>([.. pending]), output);
        return (output.WrittenSpan.ToArray(), guard.Noted);
    }
}
