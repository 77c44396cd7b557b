using RepSec.Protocol.Signatures;

namespace RepSec.Protocol.Tests.Signatures;

/// <summary>
/// The messages of RFC 9421 Appendix B (B.2 test-request and test-response), copied from
/// the RFC text with its RFC 8792 line wrapping undone.
/// </summary>
internal static class Rfc9421Examples
{
    /// <summary>1618884473, the <c>created</c> time of the Appendix B signatures.</summary>
    public static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1618884473);

    public const string RequestBody = "{\"hello\": \"world\"}";
    public const string ResponseBody = "{\"message\": \"good dog\"}";

    public static HttpRequestComponents Request() => new(
        "POST",
        "https",
        "example.com",
        "/foo?param=Value&Pet=dog",
        [
            new("Host", "example.com"),
            new("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
            new("Content-Type", "application/json"),
            new("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"),
            new("Content-Length", "18"),
        ]);

    public static HttpResponseComponents Response() => new(
        200,
        [
            new("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
            new("Content-Type", "application/json"),
            new("Content-Digest", "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:"),
            new("Content-Length", "23"),
        ]);
}
