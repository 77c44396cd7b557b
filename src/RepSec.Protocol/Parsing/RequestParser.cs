using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace RepSec.Protocol.Parsing;

/// <summary>
/// Turns one line into a <see cref="Request"/> or a 400 <see cref="ProtocolError"/>. Pure and synchronous:
/// bytes in, a request or an error value out. Every member name may appear once; the request must be one
/// JSON object with nothing after it.
/// </summary>
public static partial class RequestParser
{
    [Flags]
    private enum Seen : ushort
    {
        None = 0,
        Command = 1 << 0,
        Id = 1 << 1,
        Auth = 1 << 2,
        Nonce = 1 << 3,
        Timestamp = 1 << 4,
        Entity = 1 << 5,
        Type = 1 << 6,
        Attributes = 1 << 7,
        Client = 1 << 8,
    }

    /// <summary>
    /// Parses <paramref name="line"/> into <paramref name="request"/> (which is reset first).
    /// Returns null on success. On failure the request still holds whatever <c>id</c> was read, so the
    /// error can echo it.
    /// </summary>
    public static ProtocolError? Parse(ReadOnlySpan<byte> line, Request request, ParserLimits limits)
    {
        request.Reset();
        if (!Utf8.IsValid(line))
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidUtf8, "Request is not valid UTF-8");
        }

        // The reader's own depth limit is a backstop; the configured limit is checked by hand so that
        // the client gets too_deep rather than a generic syntax error.
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth + 1 });
        try
        {
            return ParseObject(ref reader, line, request, limits);
        }
        catch (JsonException)
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidJson, "Request is not well-formed JSON");
        }
        catch (InvalidOperationException)
        {
            // The reader validates escapes only when a string is decoded: a lone surrogate (\uD800) lands here.
            return ProtocolError.BadRequest(ErrorCodes.InvalidJson, "Request contains an invalid string escape");
        }
    }

    private static ProtocolError? ParseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, Request request, ParserLimits limits)
    {
        if (!reader.Read())
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidJson, "Request is empty");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ProtocolError.BadRequest(ErrorCodes.NotAnObject, "Request must be a JSON object");
        }

        ProtocolError? firstError = null;
        var seen = Seen.None;
        HashSet<string>? otherNames = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = Identify(ref reader);
            if (member == Seen.None)
            {
                var name = reader.GetString()!;
                if (!(otherNames ??= new(StringComparer.Ordinal)).Add(name))
                {
                    firstError ??= Duplicate(name);
                }

                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (!SkipValue(ref reader, limits, out var nestedError))
                {
                    return nestedError;
                }

                firstError ??= nestedError;
                request.AddExtra(name, Encoding.UTF8.GetString(line[start..((int)reader.BytesConsumed)]));
                continue;
            }

            if ((seen & member) != 0)
            {
                firstError ??= Duplicate(member.ToString().ToLowerInvariant());
            }

            seen |= member;
            reader.Read();
            var error = ReadMember(ref reader, line, member, request, limits, out var fatal);
            if (fatal)
            {
                return error;
            }

            firstError ??= error;
        }

        // Anything but whitespace after the object is trailing data; the reader throws on it.
        try
        {
            if (reader.Read())
            {
                return ProtocolError.BadRequest(ErrorCodes.TrailingData, "Unexpected data after the request object");
            }
        }
        catch (JsonException)
        {
            return ProtocolError.BadRequest(ErrorCodes.TrailingData, "Unexpected data after the request object");
        }

        return firstError;
    }

    private static Seen Identify(ref Utf8JsonReader reader) => reader switch
    {
        _ when reader.ValueTextEquals("command"u8) => Seen.Command,
        _ when reader.ValueTextEquals("entity"u8) => Seen.Entity,
        _ when reader.ValueTextEquals("type"u8) => Seen.Type,
        _ when reader.ValueTextEquals("id"u8) => Seen.Id,
        _ when reader.ValueTextEquals("auth"u8) => Seen.Auth,
        _ when reader.ValueTextEquals("nonce"u8) => Seen.Nonce,
        _ when reader.ValueTextEquals("timestamp"u8) => Seen.Timestamp,
        _ when reader.ValueTextEquals("attributes"u8) => Seen.Attributes,
        _ when reader.ValueTextEquals("client"u8) => Seen.Client,
        _ => Seen.None,
    };

    private static ProtocolError? ReadMember(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, Seen member,
        Request request, ParserLimits limits, out bool fatal)
    {
        fatal = false;
        switch (member)
        {
            case Seen.Command:
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SkipWith(ref reader, limits, out fatal, Invalid("command", "a string"));
                }

                // A name longer than the buffer can be no command; report it as unknown later.
                var length = reader.HasValueSequence || reader.ValueSpan.Length > Request.MaxCommandChars
                    ? Request.MaxCommandChars + 1
                    : reader.CopyString(request.CommandBuffer);
                request.SetCommandLength(Math.Min(length, Request.MaxCommandChars));
                if (length > Request.MaxCommandChars)
                {
                    request.CommandBuffer.Fill('?');
                }

                return null;

            case Seen.Id:
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                {
                    return SkipWith(ref reader, limits, out fatal, Invalid("id", "a string or a number"));
                }

                var start = (int)reader.TokenStartIndex;
                var raw = line[start..(start + reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0))];
                return request.TrySetId(raw) ? null : ProtocolError.BadRequest(ErrorCodes.InvalidParameter, "id is too long");

            case Seen.Attributes:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return null;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return SkipWith(ref reader, limits, out fatal, Invalid("attributes", "an object"));
                }

                var attributesStart = (int)reader.TokenStartIndex;
                if (!SkipValue(ref reader, limits, out var nested))
                {
                    fatal = true;
                    return nested;
                }

                request.AttributesJson = Encoding.UTF8.GetString(line[attributesStart..((int)reader.BytesConsumed)]);
                return nested;

            default:
                return ReadString(ref reader, member, request, limits, out fatal);
        }
    }

    private static ProtocolError? ReadString(ref Utf8JsonReader reader, Seen member, Request request, ParserLimits limits, out bool fatal)
    {
        fatal = false;
        if (reader.TokenType != JsonTokenType.String)
        {
            return SkipWith(ref reader, limits, out fatal, Invalid(member.ToString().ToLowerInvariant(), "a string"));
        }

        var value = reader.GetString()!;
        switch (member)
        {
            case Seen.Auth: request.Auth = value; break;
            case Seen.Entity: request.Entity = value; break;
            case Seen.Type: request.Type = value; break;
            case Seen.Client: request.Client = value; break;
            case Seen.Nonce:
                if (!IsValidNonce(value))
                {
                    return ProtocolError.BadRequest(ErrorCodes.InvalidParameter, "nonce must be 16-128 characters of A-Z a-z 0-9 _ -");
                }

                request.Nonce = value;
                break;
            case Seen.Timestamp:
                if (!Rfc3339.TryParseUtc(value, out var timestamp))
                {
                    return ProtocolError.BadRequest(ErrorCodes.InvalidParameter, "timestamp must be RFC 3339 in UTC, e.g. 2026-11-22T10:00:00Z");
                }

                request.Timestamp = timestamp;
                break;
        }

        return null;
    }

    internal static bool IsValidNonce(string nonce)
    {
        if (nonce.Length is < 16 or > 128)
        {
            return false;
        }

        foreach (var c in nonce)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static ProtocolError? SkipWith(ref Utf8JsonReader reader, ParserLimits limits, out bool fatal, ProtocolError error)
    {
        fatal = !SkipValue(ref reader, limits, out var nested);
        return fatal ? nested : error;
    }

    private static ProtocolError Duplicate(string name) =>
        ProtocolError.BadRequest(ErrorCodes.DuplicateMember, $"Member '{name}' appears more than once");

    private static ProtocolError Invalid(string name, string expected) =>
        ProtocolError.BadRequest(ErrorCodes.InvalidParameter, $"{name} must be {expected}");
}
