using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using RepSec.Protocol;
using RepSec.Protocol.Framing;
using RepSec.Protocol.Parsing;
using RepSec.Protocol.Writing;

namespace RepSec.Fuzz;

/// <summary>
/// Request decoding over arbitrary bytes: every framed line goes through <see cref="RequestParser.Parse"/>,
/// which must return a request or a 400 error, never throw. An accepted request is checked member by member
/// against an independent reading of the same line with <see cref="JsonDocument"/>; a refused one must carry
/// one of the parse error codes, and the answer echoing its <c>id</c> must still be one valid JSON line.
/// </summary>
internal static partial class RequestTarget
{
    /// <summary>The codes <see cref="RequestParser"/> may return; everything else is decided after parsing.</summary>
    public static readonly IReadOnlySet<string> ParseErrorCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        ErrorCodes.InvalidUtf8, ErrorCodes.InvalidJson, ErrorCodes.NotAnObject, ErrorCodes.DuplicateMember,
        ErrorCodes.TrailingData, ErrorCodes.TooDeep, ErrorCodes.InvalidParameter,
    };

    private static readonly ParserLimits Shallow = ParserLimits.Default with { MaxJsonDepth = 3 };

    public static void Run(ReadOnlySpan<byte> data)
    {
        var buffer = new ReadOnlySequence<byte>(data.ToArray());
        // One request object for every line, as a connection reuses it.
        var reused = new Request();
        while (LineFramer.TryReadLine(ref buffer, ParserLimits.Default.MaxLineBytes, out var line) == FrameStatus.Line)
        {
            CheckLine(line.ToArray(), reused, ParserLimits.Default);
            CheckLine(line.ToArray(), reused, Shallow);
        }
    }

    /// <summary>Parses one line and checks the outcome; returns the error, or null when the line was accepted.</summary>
    public static ProtocolError? CheckLine(byte[] line, Request reused, ParserLimits limits)
    {
        var error = RequestParser.Parse(line, reused, limits);
        var fresh = new Request();
        var again = RequestParser.Parse(line, fresh, limits);
        Invariant.That(Equals(error, again), $"a reused request parsed to {error?.Code ?? "success"}, a fresh one to {again?.Code ?? "success"}");
        SameFields(reused, fresh);
        CheckEcho(error, fresh);

        var depth = NestingDepth(line);
        if (error is null)
        {
            Invariant.That(Utf8.IsValid(line), "invalid UTF-8 was accepted");
            Invariant.That(depth <= limits.MaxJsonDepth, $"nesting {depth} was accepted under a limit of {limits.MaxJsonDepth}");
            CheckAccepted(line, fresh);
            return null;
        }

        Invariant.That(error.Status == StatusCodes.BadRequest, $"a parse error with status {error.Status}");
        Invariant.That(ParseErrorCodes.Contains(error.Code), $"a parse error with code {error.Code}");
        Invariant.That(!string.IsNullOrEmpty(error.Message), "a parse error without a message");
        Invariant.That(error.Code == ErrorCodes.InvalidUtf8 == !Utf8.IsValid(line), $"{error.Code} for a line whose UTF-8 validity is {Utf8.IsValid(line)}");
        Invariant.That(error.Code != ErrorCodes.TooDeep || depth > limits.MaxJsonDepth, $"too_deep for nesting {depth} under a limit of {limits.MaxJsonDepth}");
        return error;
    }

    private static void SameFields(Request a, Request b)
    {
        Invariant.That(a.HasCommand == b.HasCommand && a.Command.SequenceEqual(b.Command), "command differs between a reused and a fresh request");
        Invariant.That(a.RawId.SequenceEqual(b.RawId), "id differs between a reused and a fresh request");
        Invariant.That(a.Auth == b.Auth && a.Nonce == b.Nonce && a.Timestamp == b.Timestamp && a.Entity == b.Entity
            && a.Type == b.Type && a.Client == b.Client && a.AttributesJson == b.AttributesJson,
            "a member differs between a reused and a fresh request");
        Invariant.That(a.Extra.SequenceEqual(b.Extra), "extra members differ between a reused and a fresh request");
    }

    /// <summary>The answer to any line echoes its id; it must stay one well-formed JSON line holding that id.</summary>
    private static void CheckEcho(ProtocolError? error, Request request)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ResponseWriter();
        writer.Reset(output);
        writer.WriteError(error ?? ProtocolError.BadRequest(ErrorCodes.UnknownCommand, "echo"), request.RawId, DateTimeOffset.UnixEpoch);
        var written = output.WrittenSpan;
        Invariant.That(written.IndexOf((byte)'\n') == written.Length - 1, "a response is not exactly one line");
        using var response = JsonDocument.Parse(output.WrittenMemory[..^1]);
        if (request.RawId.IsEmpty)
        {
            Invariant.That(!response.RootElement.TryGetProperty("id", out _), "an id was echoed that was never read");
        }
        else
        {
            var echoed = response.RootElement.GetProperty("id").GetRawText();
            Invariant.That(echoed == System.Text.Encoding.UTF8.GetString(request.RawId), "the echoed id is not the id as sent");
        }
    }

    /// <summary>The deepest container nesting before the first syntax error; the request object is depth 1.</summary>
    private static int NestingDepth(byte[] line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var deepest = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    deepest = Math.Max(deepest, reader.CurrentDepth + 1);
                }
            }
        }
        catch (JsonException)
        {
            // Whatever came before the error is what the parser saw too.
        }

        return deepest;
    }
}
