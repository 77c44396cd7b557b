using RepSec.Server.Rdap.Http.Hpack;

namespace RepSec.Server.Tests.Rdap.Http.Hpack;

public sealed class HpackDecoderTests
{
    /// <summary>RFC 7541 Appendix C.3 (plain literals) and C.4 (Huffman): three requests on one connection, with the table size after each.</summary>
    [Theory]
    [InlineData("828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865", "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565")]
    [InlineData("828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf", "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")]
    public void The_rfc_request_examples_decode_with_their_table_sizes(string first, string second, string third)
    {
        var decoder = new HpackDecoder(4096);
        var paths = new List<HpackPathField>();

        Assert.True(decoder.TryDecode(Convert.FromHexString(first), paths));
        Assert.Equal(57, decoder.TableSize);
        Assert.True(decoder.TryDecode(Convert.FromHexString(second), paths));
        Assert.Equal(110, decoder.TableSize);
        Assert.True(decoder.TryDecode(Convert.FromHexString(third), paths));
        Assert.Equal(164, decoder.TableSize);

        Assert.Equal(["/", "/", "/index.html"], paths.Select(p => p.Value));
        Assert.All(paths, p => Assert.False(p.IsLiteral));
    }

    [Fact]
    public void A_literal_path_is_reported_with_its_range_and_a_later_reference_to_it_by_index()
    {
        var decoder = new HpackDecoder(4096);
        var literal = HpackDecoder.EncodeString("/rdap/domain/%00x");
        byte[] block = [0x82, 0x87, 0x44, .. literal];
        var paths = new List<HpackPathField>();

        Assert.True(decoder.TryDecode(block, paths));
        var path = Assert.Single(paths);
        Assert.Equal("/rdap/domain/%00x", path.Value);
        Assert.Equal(3, path.Start);
        Assert.Equal(block.Length, path.End);

        paths.Clear();
        Assert.True(decoder.TryDecode([0x82, 0x87, 0xBE], paths));
        Assert.Equal(new HpackPathField("/rdap/domain/%00x", -1, -1), Assert.Single(paths));
    }

    [Fact]
    public void A_huffman_path_without_indexing_is_decoded()
    {
        var decoder = new HpackDecoder(4096);
        var huffman = HpackHuffmanTests.Encode("/rdap/help?x=%00"u8);
        byte[] block = [0x82, 0x04, (byte)(0x80 | huffman.Length), .. huffman];
        var paths = new List<HpackPathField>();

        Assert.True(decoder.TryDecode(block, paths));
        Assert.Equal("/rdap/help?x=%00", Assert.Single(paths).Value);
        Assert.Equal(0, decoder.TableSize);
    }

    [Fact]
    public void Entries_are_evicted_oldest_first_and_a_size_update_empties_the_table()
    {
        var decoder = new HpackDecoder(100);
        var paths = new List<HpackPathField>();
        // Each entry: "a" + 20 characters + 32 = 53 octets; the second evicts the first.
        byte[] first = [0x40, .. HpackDecoder.EncodeString("a"), .. HpackDecoder.EncodeString(new string('1', 20))];
        byte[] second = [0x40, .. HpackDecoder.EncodeString("a"), .. HpackDecoder.EncodeString(new string('2', 20))];

        Assert.True(decoder.TryDecode(first, paths));
        Assert.True(decoder.TryDecode(second, paths));
        Assert.Equal(53, decoder.TableSize);
        Assert.False(decoder.TryDecode([0xBF], paths)); // index 63: evicted
        Assert.True(decoder.TryDecode([0x20], paths)); // size update to 0
        Assert.Equal(0, decoder.TableSize);
        Assert.False(decoder.TryDecode([0xBE], paths));
    }

    [Theory]
    [InlineData("80")] // index 0
    [InlineData("be")] // dynamic index with an empty table
    [InlineData("ff80")] // an integer cut short
    [InlineData("ffffffffff7f")] // an integer beyond 2^28
    [InlineData("3fe21f")] // a size update above the announced 4096
    [InlineData("4405616263")] // a string longer than the block
    [InlineData("0481ff")] // bad Huffman padding
    public void Malformed_blocks_are_refused(string hex) =>
        Assert.False(new HpackDecoder(4096).TryDecode(Convert.FromHexString(hex), []));

    [Theory]
    [InlineData(0, "00")]
    [InlineData(126, "7e")]
    [InlineData(127, "7f00")]
    [InlineData(300, "7fad01")]
    public void Plain_strings_are_written_with_a_seven_bit_length_prefix(int length, string prefix)
    {
        var encoded = HpackDecoder.EncodeString(new string('x', length));

        Assert.Equal(prefix, Convert.ToHexStringLower(encoded[..(prefix.Length / 2)]));
        Assert.Equal(prefix.Length / 2 + length, encoded.Length);
    }
}
