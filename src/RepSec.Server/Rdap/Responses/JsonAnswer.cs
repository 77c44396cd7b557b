using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace RepSec.Server.Rdap.Responses;

/// <summary>
/// The plain JSON answers served beside RDAP (the transparency log's <c>/log/...</c>, the operator view's
/// <c>/admin/...</c>): one object per answer, errors as <c>{"error": "..."}</c>.
/// </summary>
internal static class JsonAnswer
{
    public const string MediaType = "application/json";

    /// <summary>A 200 answer with what <paramref name="write"/> puts in the object.</summary>
    public static (int Status, ReadOnlyMemory<byte> Body) Ok(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return (200, buffer.WrittenMemory);
    }

    public static (int Status, ReadOnlyMemory<byte> Body) Error(int status, string message) =>
        (status, Ok(json => json.WriteString("error", message)).Body);

    /// <summary>A request target's path and its query parameters.</summary>
    public static (string Path, Dictionary<string, StringValues> Parameters) Split(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0
            ? (target, [])
            : (target[..query], Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target[query..]));
    }
}
