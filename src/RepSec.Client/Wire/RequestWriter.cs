using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepSec.Protocol.Parsing;

namespace RepSec.Client.Wire;

/// <summary>Adds the envelope members a request needs and frames it as one line.</summary>
internal static class RequestWriter
{
    public static void AddReplayFields(JsonObject request, TimeProvider time)
    {
        request["nonce"] = NewNonce();
        request["timestamp"] = Timestamp(time);
    }

    /// <summary>UTC now in RFC 3339 with milliseconds.</summary>
    public static string Timestamp(TimeProvider time) => Time(time.GetUtcNow());

    /// <summary>The time in UTC, RFC 3339 with milliseconds.</summary>
    public static string Time(DateTimeOffset time) => Rfc3339.Format(time);

    /// <summary>128 random bits as base64url without padding: 22 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The request as compact UTF-8 JSON ending in LF; JSON text never holds a raw newline.</summary>
    public static ReadOnlyMemory<byte> ToLine(JsonObject request)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            request.WriteTo(writer);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }
}
