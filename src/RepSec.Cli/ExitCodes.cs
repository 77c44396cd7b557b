namespace RepSec.Cli;

/// <summary>The process exit codes; the root command's help lists them for scripts.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int NotVerified = 1;
    public const int Usage = 2;
    public const int Connection = 3;
    public const int BadRequest = 4;
    public const int Unauthorized = 5;
    public const int NotFound = 6;
    public const int Conflict = 7;
    public const int RateLimited = 8;
    public const int ServerError = 9;
    public const int VerificationFailed = 10;
    public const int ImportRefusedRows = 11;
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0  success
          1  VERIFY answered, but the entity is not verified
          2  usage error
          3  cannot connect, TLS failure or timeout
          4  400 bad request (and RDAP 405, 414, 422, 501: a query the server cannot take)
          5  401 or 403 (authentication or authorization)
          6  404 not found
          7  409 conflict (already registered, replayed nonce, report already withdrawn)
          8  429 rate limited, or the same report again too soon (report_too_soon)
          9  500, any other server error, or an unexpected failure
          10  verification failed: a proof or signature did not check, or the log forked
          11  import finished, but some rows were refused (they are in the refused file, with why)
          130  interrupted (Ctrl+C)
        """;

    public static int ForStatus(int status) => status switch
    {
        400 or 405 or 414 or 422 or 501 => BadRequest,
        401 or 403 => Unauthorized,
        404 => NotFound,
        409 => Conflict,
        429 => RateLimited,
        _ => ServerError,
    };
}
