using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RepSec.Core.Reputation;
using RepSec.Protocol.Entities;
using RepSec.Server.Dnsbl;

namespace RepSec.Server.Blocklist;

internal enum BlocklistFormat
{
    Plain,
    Csv,
    Json,
    Rbldnsd,
}

/// <summary>
/// How each format writes a blocklist: a head, one piece per listed row (each written on its own, so the list
/// streams), and a tail.
/// <list type="bullet">
/// <item><c>plain</c>: one address, prefix or domain per line.</item>
/// <item><c>csv</c>: <c>entity,type,assertion,rating,confidence</c>, one row per assertion an entity is listed for.</item>
/// <item><c>json</c>: <c>{"generated", "min_rating", "min_confidence", "entries": [{"entity", "type", "listings": [...]}]}</c>;
/// allowlisted addresses inside a listed prefix as <c>{"entity", "type", "excepted": true}</c>.</item>
/// <item><c>rbldnsd</c>: a dataset Debian's rbldnsd loads unchanged (ip4set, ip6trie or dnset): <c>ENTRY :A:TXT</c>
/// per assertion with the DNSBL's codes and TXT text, and <c>!ENTRY</c> for allowlisted exceptions. rbldnsd answers
/// from the most specific matching entry, so each address or prefix line also carries what covering prefixes list
/// it for: rbldnsd then answers what repsecd's own DNSBL answers. An ip6trie keeps one answer per entry, so IPv6
/// is exported one assertion per dataset.</item>
/// </list>
/// </summary>
internal static class BlocklistFormats
{
    public static bool TryParse(string text, out BlocklistFormat format)
    {
        (var ok, format) = text switch
        {
            "plain" => (true, BlocklistFormat.Plain),
            "csv" => (true, BlocklistFormat.Csv),
            "json" => (true, BlocklistFormat.Json),
            "rbldnsd" => (true, BlocklistFormat.Rbldnsd),
            _ => (false, BlocklistFormat.Plain),
        };
        return ok;
    }

    public static string MediaType(BlocklistFormat format) => format switch
    {
        BlocklistFormat.Csv => "text/csv; charset=utf-8; header=present",
        BlocklistFormat.Json => "application/json",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>Writes blocklists of one request: the same bytes for the same rows, whatever the order they come in.</summary>
    public sealed class Writer(BlocklistQuery query, ReputationListing listing, DnsblOptions dnsbl, DateTimeOffset asOf) : IDisposable
    {
        private Utf8JsonWriter? _json;

        public void Head(IBufferWriter<byte> output, DateTimeOffset generated)
        {
            switch (query.Format)
            {
                case BlocklistFormat.Csv:
                    Ascii(output, "entity,type,assertion,rating,confidence\n");
                    break;
                case BlocklistFormat.Json:
                    _json = new Utf8JsonWriter(output);
                    _json.WriteStartObject();
                    _json.WriteString("generated", generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                    _json.WriteNumber("min_rating", query.MinRating);
                    _json.WriteNumber("min_confidence", query.MinConfidence);
                    _json.WriteStartArray("entries");
                    _json.Flush();
                    break;
                case BlocklistFormat.Rbldnsd:
                    var kind = query.Type == EntityType.Domain ? "dnset" : query.Family == 6 ? "ip6trie" : "ip4set";
                    Ascii(output, FormattableString.Invariant($"# RepSec blocklist, an rbldnsd {kind} dataset, generated {generated.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n$TTL {dnsbl.Ttl}\n"));
                    break;
            }
        }

        /// <summary>Writes one row; false when it writes nothing (a row this format has no place for).</summary>
        public bool Row(IBufferWriter<byte> output, ListedRow row)
        {
            var entity = row.Entity;
            var value = entity.Value;
            switch (query.Format)
            {
                case BlocklistFormat.Plain when !row.Excepted:
                    Line(output, value);
                    return true;
                case BlocklistFormat.Csv when !row.Excepted:
                    foreach (var listed in row.Listings)
                    {
                        Line(output, FormattableString.Invariant($"{value},{entity.Type.ToWire()},{listed.Assertion},{listed.Rating},{listed.Confidence}"));
                    }

                    return true;
                case BlocklistFormat.Json:
                    var json = _json!;
                    json.WriteStartObject();
                    json.WriteString("entity", value);
                    json.WriteString("type", entity.Type.ToWire());
                    if (row.Excepted)
                    {
                        json.WriteBoolean("excepted", true);
                    }
                    else
                    {
                        json.WriteStartArray("listings");
                        foreach (var listed in row.Listings)
                        {
                            json.WriteStartObject();
                            json.WriteString("assertion", listed.Assertion);
                            json.WriteNumber("rating", listed.Rating);
                            json.WriteNumber("confidence", listed.Confidence);
                            json.WriteEndObject();
                        }

                        json.WriteEndArray();
                    }

                    json.WriteEndObject();
                    json.Flush();
                    return true;
                case BlocklistFormat.Rbldnsd when row.Excepted:
                    Line(output, "!" + value);
                    return true;
                case BlocklistFormat.Rbldnsd:
                    var listings = entity.Type == EntityType.Ip ? listing.Combined(entity.Key, query.Thresholds, asOf) : row.Listings;
                    foreach (var listed in listings)
                    {
                        Line(output, $"{value} :{dnsbl.CodeFor(listed.Assertion)}:{dnsbl.Text(listed)}");
                    }

                    return listings.Count > 0;
                default:
                    return false;
            }
        }

        public void Tail(IBufferWriter<byte> output)
        {
            if (_json is { } json)
            {
                json.WriteEndArray();
                json.WriteEndObject();
                json.Flush();
            }
        }

        /// <summary>
        /// A hash of what <see cref="Row"/> writes for <paramref name="row"/>, for the list's fingerprint, taken from what
        /// the text is made of (the entity, each listing's assertion, numbers and source, and for rbldnsd the listings
        /// it inherits) rather than from the text itself: the same rows give the same hash, at a fraction of writing them.
        /// </summary>
        public ulong Hash(ListedRow row)
        {
            var hash = new XxHash3();
            hash.Append(MemoryMarshal.AsBytes(row.Entity.Key.AsSpan()));
            Span<byte> number = stackalloc byte[8];
            number[0] = (byte)row.Entity.Type;
            number[1] = row.Excepted ? (byte)1 : (byte)0;
            hash.Append(number[..2]);
            var listings = query.Format == BlocklistFormat.Rbldnsd && row.Entity.Type == EntityType.Ip && !row.Excepted
                ? listing.Combined(row.Entity.Key, query.Thresholds, asOf)
                : row.Listings;
            foreach (var listed in listings)
            {
                hash.Append(MemoryMarshal.AsBytes(listed.Assertion.AsSpan()));
                BinaryPrimitives.WriteDoubleLittleEndian(number, listed.Rating);
                hash.Append(number);
                BinaryPrimitives.WriteDoubleLittleEndian(number, listed.Confidence);
                hash.Append(number);
                hash.Append(MemoryMarshal.AsBytes(listed.Source.Key.AsSpan()));
            }

            return hash.GetCurrentHashAsUInt64();
        }

        public void Dispose() => _json?.Dispose();

        private static void Line(IBufferWriter<byte> output, string text)
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
            var written = Encoding.UTF8.GetBytes(text, span);
            span[written] = (byte)'\n';
            output.Advance(written + 1);
        }

        private static void Ascii(IBufferWriter<byte> output, string text) => output.Write(Encoding.UTF8.GetBytes(text));
    }
}
