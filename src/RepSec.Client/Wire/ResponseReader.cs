using System.Text.Json;
using RepSec.Protocol.Writing;

namespace RepSec.Client.Wire;

/// <summary>Reads the members of response objects; a 200 that lacks what its command promises is an error.</summary>
internal static class ResponseReader
{
    private const string InvalidResponse = "invalid_response";

    /// <summary>Throws <see cref="RepSecException"/> unless the response's status is 200.</summary>
    public static void EnsureSuccess(JsonElement response)
    {
        if (!TryGet(response, ResponseNames.Status, out var statusElement) || statusElement.ValueKind != JsonValueKind.Number
            || !statusElement.TryGetInt32(out var status))
        {
            throw new RepSecException(0, InvalidResponse, "The server's response has no status", response: response);
        }

        if (status == 200)
        {
            return;
        }

        var error = OptionalString(response, ResponseNames.Error) ?? "unknown";
        var message = OptionalString(response, ResponseNames.Message) ?? $"Request failed with status {status}";
        int? retryAfter = TryGet(response, ResponseNames.RetryAfter, out var retry) && retry.ValueKind == JsonValueKind.Number
            && retry.TryGetInt32(out var seconds)
            ? seconds
            : null;
        DateTimeOffset? serverTime = TryGet(response, ResponseNames.ServerTime, out var time) && time.ValueKind == JsonValueKind.String
            && time.TryGetDateTimeOffset(out var parsed)
            ? parsed
            : null;
        throw new RepSecException(status, error, message, retryAfter, serverTime, response);
    }

    public static string String(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Missing(parent, name);

    public static string? OptionalString(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static DateTimeOffset Time(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.String
            && value.TryGetDateTimeOffset(out var time)
            ? time
            : throw Missing(parent, name);

    public static long Int64(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw Missing(parent, name);

    public static int OptionalInt32(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : 0;

    public static double Double(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && double.IsFinite(number)
            ? number
            : throw Missing(parent, name);

    public static double? OptionalDouble(JsonElement parent, JsonEncodedText name) =>
        Optional(parent, name) is null ? null : Double(parent, name);

    /// <summary>A time sent as UNIX epoch seconds (RFC 7071), or null when absent.</summary>
    public static DateTimeOffset? OptionalEpochSeconds(JsonElement parent, JsonEncodedText name)
    {
        if (OptionalInt64(parent, name) is not { } seconds)
        {
            return null;
        }

        return seconds is >= -62_135_596_800 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw Missing(parent, name);
    }

    public static bool Boolean(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw Missing(parent, name);

    public static IReadOnlyList<string> Strings(JsonElement parent, JsonEncodedText name, bool required)
    {
        if (!TryGet(parent, name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return required ? throw Missing(parent, name) : [];
        }

        var values = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Missing(parent, name));
        }

        return values;
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, JsonEncodedText name, bool required) =>
        TryGet(parent, name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : required ? throw Missing(parent, name) : [];

    public static JsonElement Object(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Object ? value : throw Missing(parent, name);

    /// <summary>The member, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static long? OptionalInt64(JsonElement parent, JsonEncodedText name) =>
        Optional(parent, name) is null ? null : Int64(parent, name);

    public static byte[] Base64(JsonElement parent, JsonEncodedText name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.String
            && value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw Missing(parent, name);

    public static byte[]? OptionalBase64(JsonElement parent, JsonEncodedText name) =>
        Optional(parent, name) is null ? null : Base64(parent, name);

    public static List<byte[]> Base64Array(JsonElement parent, JsonEncodedText name)
    {
        var values = new List<byte[]>();
        foreach (var item in Array(parent, name, required: true))
        {
            values.Add(item.ValueKind == JsonValueKind.String && item.TryGetBytesFromBase64(out var bytes) ? bytes : throw Missing(parent, name));
        }

        return values;
    }

    private static bool TryGet(JsonElement parent, JsonEncodedText name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object)
        {
            return parent.TryGetProperty(name.Value, out value);
        }

        value = default;
        return false;
    }

    private static RepSecException Missing(JsonElement parent, JsonEncodedText name) =>
        new(200, InvalidResponse, $"The server's response lacks a valid '{name.Value}'", response: parent);
}
