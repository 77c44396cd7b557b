using System.Buffers;
using System.Text;
using RepSec.Server.Rdap.Http.Hpack;

namespace RepSec.Server.Tests.Rdap.Http.Hpack;

public sealed class HpackHuffmanTests
{
    /// <summary>RFC 7541 Appendix C.4: the strings of its requests with their Huffman encodings.</summary>
    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("0", "07")] // five bits and three of padding
    public void The_rfc_examples_decode(string text, string hex)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.True(HpackHuffman.TryDecode(Convert.FromHexString(hex), output));
        Assert.Equal(text, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    /// <summary>Codes of Appendix B at each end of the table: the derivation from lengths gives the RFC's codes.</summary>
    [Theory]
    [InlineData('0', 0x0u, 5)]
    [InlineData('a', 0x3u, 5)]
    [InlineData(' ', 0x14u, 6)]
    [InlineData('/', 0x18u, 6)]
    [InlineData('%', 0x15u, 6)]
    [InlineData('{', 0x7ffeu, 15)]
    [InlineData((char)0, 0x1ff8u, 13)]
    [InlineData((char)255, 0x3ffffeeu, 26)]
    public void Codes_match_appendix_b(char symbol, uint code, int length) =>
        Assert.Equal((code, length), HpackHuffman.CodeOf(symbol));

    [Fact]
    public void End_of_string_is_code_thirty_ones() => Assert.Equal((0x3fffffffu, 30), HpackHuffman.CodeOf(256));

    [Fact]
    public void Every_byte_encodes_and_decodes_to_itself()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var output = new ArrayBufferWriter<byte>();

        Assert.True(HpackHuffman.TryDecode(Encode(all), output));
        Assert.Equal(all, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("ff")] // eight bits of padding
    [InlineData("fe")] // padding not all ones
    [InlineData("ffffffff")] // EOS inside the string
    [InlineData("00")] // '0' then padding of zeros
    public void Bad_padding_and_eos_are_refused(string hex) =>
        Assert.False(HpackHuffman.TryDecode(Convert.FromHexString(hex), new ArrayBufferWriter<byte>()));

    /// <summary>Section 5.2's encoding, padded with ones: what a client sends.</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> text)
    {
        var bytes = new List<byte>();
        ulong bits = 0;
        var count = 0;
        foreach (var symbol in text)
        {
            var (code, length) = HpackHuffman.CodeOf(symbol);
            bits = (bits << length) | code;
            count += length;
            while (count >= 8)
            {
                bytes.Add((byte)(bits >> (count - 8)));
                count -= 8;
            }
        }

        if (count > 0)
        {
            bytes.Add((byte)((bits << (8 - count)) | (0xFFu >> count)));
        }

        return [.. bytes];
    }
}
