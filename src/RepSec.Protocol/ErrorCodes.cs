namespace RepSec.Protocol;

/// <summary>Stable machine-readable <c>error</c> codes carried by every non-200 response.</summary>
public static class ErrorCodes
{
    // 400: framing and parsing
    public const string MessageTooLarge = "message_too_large";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string InvalidJson = "invalid_json";
    public const string NotAnObject = "not_an_object";
    public const string DuplicateMember = "duplicate_member";
    public const string TrailingData = "trailing_data";
    public const string TooDeep = "too_deep";

    // 400: envelope and parameters
    public const string MissingParameter = "missing_parameter";
    public const string InvalidParameter = "invalid_parameter";
    public const string UnknownCommand = "unknown_command";
    public const string InvalidEntity = "invalid_entity";
    public const string InvalidType = "invalid_type";
    public const string AmbiguousEntity = "ambiguous_entity";

    // 401, 403, 409, 429
    public const string AuthRequired = "auth_required";
    public const string AuthFailed = "auth_failed";
    public const string StaleTimestamp = "stale_timestamp";
    public const string ReplayedNonce = "replayed_nonce";
    public const string Forbidden = "forbidden";
    public const string NotOwner = "not_owner";
    public const string NotFound = "not_found";
    public const string AlreadyRegistered = "already_registered";
    public const string RateLimited = "rate_limited";
    public const string AuthThrottled = "auth_throttled";

    // The reputation extension (docs/reputation.md)
    public const string ReportTooSoon = "report_too_soon";
    public const string NotReporter = "not_reporter";
    public const string AlreadyWithdrawn = "already_withdrawn";
    public const string InvalidCursor = "invalid_cursor";

    // 500
    public const string InternalError = "internal_error";
}
