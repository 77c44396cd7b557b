using System.Buffers;

namespace RepSec.Server.Rdap.Http.Hpack;

/// <summary>
/// The static Huffman code HPACK string literals may be written in (RFC 7541 section 5.2, Appendix B), decoding only.
/// The code is canonical: ordered by length, then by symbol, each code is the one before it plus one, shifted left by
/// the difference in length. So the appendix is fully given by each symbol's code length, which is all this file
/// holds; the codes themselves are derived, and the tests check them against the RFC's examples.
/// </summary>
internal static class HpackHuffman
{
    /// <summary>Code length of symbols 0 to 255 and EOS (256), one letter each: 'A' is 5 bits, 'Z' is 30.</summary>
    private const string Lengths =
        "ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCCCCCCCCCCCCCCCCCCDCDIOIJBKABABABBBACCBBBABCBAABCCCCCKGJIX"
        + "PRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQQRQSRSSPRRRSRRSVVPORSRUVVVWWVTUOQVWWVWTQQVVXWWWPTPQRQQSRRUUTTVSVWVVWWWWWXWWWWWVZ";

    private const int MinLength = 5;
    private const int MaxLength = 30;
    private const int Eos = 256;

    // For each code length: the first code of that length, how many codes have it, and where their symbols start in Symbols.
    private static readonly int[] FirstCode = new int[MaxLength + 1];
    private static readonly int[] Count = new int[MaxLength + 1];
    private static readonly int[] Offset = new int[MaxLength + 1];
    private static readonly short[] Symbols = new short[Eos + 1];

    static HpackHuffman()
    {
        var index = 0;
        var code = 0;
        for (var length = MinLength; length <= MaxLength; length++)
        {
            FirstCode[length] = code;
            Offset[length] = index;
            for (var symbol = 0; symbol <= Eos; symbol++)
            {
                if (Lengths[symbol] - 'A' + MinLength == length)
                {
                    Symbols[index++] = (short)symbol;
                    Count[length]++;
                }
            }

            code = (code + Count[length]) << 1;
        }
    }

    /// <summary>Symbol's code, right-aligned, and its length in bits: the encoder's view, for tests.</summary>
    internal static (uint Code, int Length) CodeOf(int symbol)
    {
        var length = Lengths[symbol] - 'A' + MinLength;
        var rank = Array.IndexOf(Symbols, (short)symbol, Offset[length], Count[length]) - Offset[length];
        return ((uint)(FirstCode[length] + rank), length);
    }

    /// <summary>
    /// Appends the decoding of <paramref name="input"/> to <paramref name="output"/>. False when it is not a valid
    /// encoding: EOS inside it, or padding longer than seven bits or not all ones (section 5.2).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        // At most 8/5 symbols per byte: the shortest code is five bits.
        var span = output.GetSpan(input.Length * 8 / MinLength + 1);
        var written = 0;
        var code = 0;
        var length = 0;
        foreach (var octet in input)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((octet >> bit) & 1);
                length++;
                if (length < MinLength)
                {
                    continue;
                }

                var rank = code - FirstCode[length];
                if (rank >= 0 && rank < Count[length])
                {
                    var symbol = Symbols[Offset[length] + rank];
                    if (symbol == Eos)
                    {
                        return false;
                    }

                    span[written++] = (byte)symbol;
                    code = 0;
                    length = 0;
                }
                else if (length == MaxLength)
                {
                    return false;
                }
            }
        }

        output.Advance(written);
        return length < 8 && code == (1 << length) - 1;
    }
}
