using System.Buffers;
using System.Text;

namespace RepSec.Server.Rdap.Http.Hpack;

/// <summary>
/// A <c>:path</c> field of a header block: its value, and when it was written as a string literal the byte range of
/// that literal in the block (so that it can be replaced); an indexed field has no range (<see cref="Start"/> -1).
/// </summary>
internal readonly record struct HpackPathField(string Value, int Start, int End)
{
    public bool IsLiteral => Start >= 0;
}

/// <summary>
/// An HPACK decoder (RFC 7541) that follows one connection's header blocks: it keeps the dynamic table as the
/// server's decoder keeps it, and reports the <c>:path</c> fields of each block. It decodes what it needs and skips
/// the rest (the values of fields neither indexed nor <c>:path</c>). Synchronous, bounded, and false instead of an
/// exception on anything malformed.
/// </summary>
internal sealed class HpackDecoder(int maxTableSize)
{
    private readonly int _maxTableSize = maxTableSize;
    /// <summary>Section 4.1: an entry's size is its name's and value's octets and 32.</summary>
    private const int EntryOverhead = 32;

    private static readonly (string Name, string Value)[] StaticTable =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    // Oldest first: the newest entry, index 62, is the last.
    private readonly List<(string Name, string Value)> _dynamic = [];
    private readonly ArrayBufferWriter<byte> _huffman = new(256);
    private int _size;
    private int _capacity = maxTableSize;

    /// <summary>The dynamic table's size in octets (section 4.1), for tests.</summary>
    internal int TableSize => _size;

    /// <summary>Decodes one whole header block, adding its <c>:path</c> fields to <paramref name="paths"/>.</summary>
    public bool TryDecode(ReadOnlySpan<byte> block, List<HpackPathField> paths)
    {
        var position = 0;
        while (position < block.Length)
        {
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                // Section 6.1: an indexed field.
                if (!TryReadInteger(block, ref position, 7, out var index) || !TryGet(index, out var field))
                {
                    return false;
                }

                if (field.Name == ":path")
                {
                    paths.Add(new HpackPathField(field.Value, -1, -1));
                }

                continue;
            }

            if ((first & 0xE0) == 0x20)
            {
                // Section 6.3: a dynamic table size update, at most the size the server announced.
                if (!TryReadInteger(block, ref position, 5, out var capacity) || capacity > _maxTableSize)
                {
                    return false;
                }

                _capacity = capacity;
                Evict(0);
                continue;
            }

            // Section 6.2: a literal, added to the table (01), or not (0000, 0001).
            var indexing = (first & 0xC0) == 0x40;
            if (!TryReadInteger(block, ref position, indexing ? 6 : 4, out var nameIndex))
            {
                return false;
            }

            string name;
            if (nameIndex > 0)
            {
                if (!TryGet(nameIndex, out var named))
                {
                    return false;
                }

                name = named.Name;
            }
            else if (!TryReadString(block, ref position, out name))
            {
                return false;
            }

            var start = position;
            var isPath = name == ":path";
            if (indexing || isPath)
            {
                if (!TryReadString(block, ref position, out var value))
                {
                    return false;
                }

                if (isPath)
                {
                    paths.Add(new HpackPathField(value, start, position));
                }

                if (indexing)
                {
                    Add(name, value);
                }
            }
            else if (!TrySkipString(block, ref position))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A string literal of <paramref name="value"/>'s octets, not Huffman-coded (section 5.2).</summary>
    public static byte[] EncodeString(string value)
    {
        var bytes = Encoding.Latin1.GetBytes(value);
        var output = new ArrayBufferWriter<byte>(bytes.Length + 6);
        var span = output.GetSpan(6);
        var length = bytes.Length;
        var written = 1;
        if (length < 0x7F)
        {
            span[0] = (byte)length;
        }
        else
        {
            span[0] = 0x7F;
            length -= 0x7F;
            while (length >= 0x80)
            {
                span[written++] = (byte)((length & 0x7F) | 0x80);
                length >>= 7;
            }

            span[written++] = (byte)length;
        }

        output.Advance(written);
        output.Write(bytes);
        return output.WrittenSpan.ToArray();
    }

    private bool TryGet(int index, out (string Name, string Value) field)
    {
        field = default;
        if (index <= 0)
        {
            return false;
        }

        if (index <= StaticTable.Length)
        {
            field = StaticTable[index - 1];
            return true;
        }

        var age = index - StaticTable.Length - 1;
        if (age >= _dynamic.Count)
        {
            return false;
        }

        field = _dynamic[_dynamic.Count - 1 - age];
        return true;
    }

    /// <summary>Section 4.4: room is made by evicting the oldest entries; an entry larger than the table empties it.</summary>
    private void Add(string name, string value)
    {
        var size = name.Length + value.Length + EntryOverhead;
        Evict(size);
        if (size <= _capacity)
        {
            _dynamic.Add((name, value));
            _size += size;
        }
    }

    private void Evict(int room)
    {
        var oldest = 0;
        while (oldest < _dynamic.Count && _size + room > _capacity)
        {
            _size -= _dynamic[oldest].Name.Length + _dynamic[oldest].Value.Length + EntryOverhead;
            oldest++;
        }

        _dynamic.RemoveRange(0, oldest);
    }

    /// <summary>Section 5.1: an integer in a prefix of <paramref name="bits"/> bits and continuation octets; at most 2^28.</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> block, ref int position, int bits, out int value)
    {
        var mask = (1 << bits) - 1;
        value = block[position++] & mask;
        if (value < mask)
        {
            return true;
        }

        for (var shift = 0; shift <= 21; shift += 7)
        {
            if (position >= block.Length)
            {
                return false;
            }

            var octet = block[position++];
            value += (octet & 0x7F) << shift;
            if ((octet & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryReadString(ReadOnlySpan<byte> block, ref int position, out string value)
    {
        value = "";
        if (position >= block.Length)
        {
            return false;
        }

        var huffman = (block[position] & 0x80) != 0;
        if (!TryReadInteger(block, ref position, 7, out var length) || length > block.Length - position)
        {
            return false;
        }

        var octets = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            value = Encoding.Latin1.GetString(octets);
            return true;
        }

        _huffman.ResetWrittenCount();
        if (!HpackHuffman.TryDecode(octets, _huffman))
        {
            return false;
        }

        value = Encoding.Latin1.GetString(_huffman.WrittenSpan);
        return true;
    }

    private static bool TrySkipString(ReadOnlySpan<byte> block, ref int position)
    {
        if (position >= block.Length || !TryReadInteger(block, ref position, 7, out var length) || length > block.Length - position)
        {
            return false;
        }

        position += length;
        return true;
    }
}
