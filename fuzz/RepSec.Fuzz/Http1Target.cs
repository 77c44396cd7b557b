using RepSec.Server.Rdap.Http;

namespace RepSec.Fuzz;

/// <summary>
/// The RDAP HTTP/1.1 request-head parser (<see cref="Http1Parser"/>) over arbitrary bytes, under tight limits and
/// under the server's defaults. It never throws. A request it completes ends at the first empty line, parses the
/// same from exactly its own bytes and into a reused request as into a fresh one, every shorter prefix of it is
/// incomplete, and its fields hold only what the parser promises. An error is 400, 414, 431 or 505 and consumes
/// nothing. The input is read as a pipelined stream: request after request, until one is not complete.
/// </summary>
internal static partial class Http1Target
{
    /// <summary>Small enough that fuzzed inputs reach the 414 and 431 paths.</summary>
    public static readonly Http1Limits Small = new(64, 256, 4);

    /// <summary>Kestrel's defaults, which repsecd passes on (request line, headers in total, header count).</summary>
    public static readonly Http1Limits Default = new(8192, 32768, 100);

    /// <summary>Fills every field a request can hold, so that one a reset forgets shows up on the next request.</summary>
    private static readonly byte[] Primer =
        "OPTIONS HTTP://stale.example:8080?stale=1 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 5\r\nX-Stale: \r\n\r\n"u8.ToArray();

    private static readonly int[] ErrorStatuses = [400, 414, 431, 505];

    public static void Run(ReadOnlySpan<byte> data)
    {
        Walk(data, Small);
        Walk(data, Default);
    }

    /// <summary>Parses the requests of a pipelined stream in turn, as a connection does; returns how many completed.</summary>
    public static int Walk(ReadOnlySpan<byte> data, Http1Limits limits)
    {
        // One request for the whole stream, as a connection keeps one.
        var reused = new Http1Request();
        Invariant.That(Http1Parser.TryParse(Primer, Default, reused, out _, out _) == Http1ParseResult.Complete, "the primer is refused");
        var offset = 0;
        var completed = 0;
        while (Check(data[offset..], limits, reused) is var consumed and > 0)
        {
            offset += consumed;
            completed++;
        }

        return completed;
    }

    /// <summary>Parses one request from the start of <paramref name="input"/> and checks the outcome; returns the bytes consumed.</summary>
    private static int Check(ReadOnlySpan<byte> input, Http1Limits limits, Http1Request reused)
    {
        var result = Http1Parser.TryParse(input, limits, reused, out var consumed, out var error);
        var fresh = new Http1Request();
        var again = Http1Parser.TryParse(input, limits, fresh, out var freshConsumed, out var freshError);
        Invariant.That(result == again && consumed == freshConsumed && error == freshError,
            $"a reused request parsed to {result} ({consumed} bytes, {error.Status}), a fresh one to {again} ({freshConsumed} bytes, {freshError.Status})");
        switch (result)
        {
            case Http1ParseResult.Complete:
                SameFields(reused, fresh, "a reused and a fresh request");
                CheckComplete(input, consumed, limits, fresh);
                return consumed;
            case Http1ParseResult.Error:
                CheckError(input, consumed, error, limits);
                return 0;
            default:
                Invariant.That(result == Http1ParseResult.Incomplete, $"an unknown result {result}");
                CheckIncomplete(input, consumed, limits);
                return 0;
        }
    }

    private static void CheckComplete(ReadOnlySpan<byte> input, int consumed, Http1Limits limits, Http1Request request)
    {
        Invariant.That(consumed > 0 && consumed <= input.Length, $"{consumed} bytes consumed of {input.Length}");
        Invariant.That(consumed < limits.MaxBufferedBytes, $"a request of {consumed} bytes under limits {limits}");
        var skipped = SkippedEmptyLines(input);
        var end = input[skipped..].IndexOf("\r\n\r\n"u8);
        Invariant.That(end >= 0 && skipped + end + 4 == consumed, $"a request of {consumed} bytes does not end at its first empty line ({end})");

        // Exactly its own bytes make the same request; any fewer are not yet a request (a connection parses again as bytes arrive).
        var own = new Http1Request();
        Invariant.That(Http1Parser.TryParse(input[..consumed], limits, own, out var ownConsumed, out _) == Http1ParseResult.Complete && ownConsumed == consumed,
            "the request's own bytes do not parse to the same request");
        SameFields(request, own, "a request and the one its own bytes make");
        var lineEnd = skipped + input[skipped..].IndexOf((byte)'\n') + 1;
        foreach (var cut in (ReadOnlySpan<int>)[consumed - 1, consumed - 2, consumed - 3, lineEnd, lineEnd - 1, consumed / 2])
        {
            var prefix = Http1Parser.TryParse(input[..cut], limits, own, out var prefixConsumed, out var prefixError);
            Invariant.That(prefix == Http1ParseResult.Incomplete && prefixConsumed == 0,
                $"the first {cut} of a request's {consumed} bytes parse to {prefix} ({prefixError.Status}), not Incomplete");
        }

        CheckFields(input[skipped..consumed], request, limits);
    }

    private static void CheckError(ReadOnlySpan<byte> input, int consumed, Http1Error error, Http1Limits limits)
    {
        Invariant.That(consumed == 0, $"an error consumed {consumed} bytes");
        Invariant.That(ErrorStatuses.Contains(error.Status), $"an error with status {error.Status}");
        Invariant.That(!string.IsNullOrEmpty(error.Title) && !string.IsNullOrEmpty(error.Description), $"a {error.Status} without a title or description");
        if (error.Status == 414)
        {
            var rest = input[SkippedEmptyLines(input)..];
            var lineEnd = rest.IndexOf((byte)'\n');
            Invariant.That(lineEnd < 0 ? rest.Length > limits.MaxRequestLineBytes : lineEnd + 1 > limits.MaxRequestLineBytes,
                "414 for a request line within the limit");
        }
    }

    /// <summary>More bytes are asked for only while a head could still fit, and never when a whole one is there.</summary>
    private static void CheckIncomplete(ReadOnlySpan<byte> input, int consumed, Http1Limits limits)
    {
        Invariant.That(consumed == 0, $"an incomplete request consumed {consumed} bytes");
        // The connection's buffer stops growing at MaxBufferedBytes: a fuller one must already be a request or an error.
        Invariant.That(input.Length < limits.MaxBufferedBytes, $"{input.Length} bytes are still incomplete under limits {limits}");
        Invariant.That(input[SkippedEmptyLines(input)..].IndexOf("\r\n\r\n"u8) < 0, "a head that ends in an empty line is incomplete");
    }

    /// <summary>The bytes of the empty lines the parser skips before a request line: at most two (RFC 9112 section 2.2).</summary>
    private static int SkippedEmptyLines(ReadOnlySpan<byte> input)
    {
        var skipped = 0;
        while (skipped < 4 && input[skipped..].StartsWith("\r\n"u8))
        {
            skipped += 2;
        }

        return skipped;
    }
}
