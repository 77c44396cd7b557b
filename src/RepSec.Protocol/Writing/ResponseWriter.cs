using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using RepSec.Protocol.Parsing;

namespace RepSec.Protocol.Writing;

/// <summary>
/// Writes one response line into a buffer writer (a connection's output pipe). A connection owns one
/// instance and re-targets it, so writing a response allocates nothing.
/// </summary>
public sealed class ResponseWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Responses are protocol text, not HTML: non-ASCII names stay readable; quotes and controls are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Utf8JsonWriter _json = new(new ArrayBufferWriter<byte>(1), Options);
    private IBufferWriter<byte>? _output;

    /// <summary>The JSON writer positioned inside the response object, for command-specific members.</summary>
    public Utf8JsonWriter Json => _json;

    public void Reset(IBufferWriter<byte> output)
    {
        _output = output;
        _json.Reset(output);
    }

    /// <summary>Opens a response with <c>status</c>, <c>message</c> and the echoed <c>id</c>.</summary>
    public void Begin(int status, string message, ReadOnlySpan<byte> rawId)
    {
        _json.WriteStartObject();
        _json.WriteNumber(ResponseNames.Status, status);
        _json.WriteString(ResponseNames.Message, message);
        if (!rawId.IsEmpty)
        {
            _json.WritePropertyName(ResponseNames.Id);
            _json.WriteRawValue(rawId, skipInputValidation: true);
        }
    }

    /// <summary>Closes the object and terminates the line.</summary>
    public void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        var span = _output!.GetSpan(1);
        span[0] = (byte)'\n';
        _output.Advance(1);
        _json.Reset(_output);
    }

    public void WriteError(ProtocolError error, ReadOnlySpan<byte> rawId, DateTimeOffset now)
    {
        Begin(error.Status, error.Message, rawId);
        _json.WriteString(ResponseNames.Error, error.Code);
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            _json.WriteNumber(ResponseNames.RetryAfter, retryAfter);
        }

        if (error.IncludeServerTime)
        {
            WriteTime(ResponseNames.ServerTime, now);
        }

        End();
    }

    public void WriteTime(JsonEncodedText name, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[32];
        _json.WriteString(name, buffer[..Rfc3339.Format(value, buffer)]);
    }
}
