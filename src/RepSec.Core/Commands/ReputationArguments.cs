using System.Globalization;
using System.Text.Json;
using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Parsing;

namespace RepSec.Core.Commands;

/// <summary>
/// The reputation commands' own members, read from the request's extra members (raw JSON): each reader returns
/// null when the member is absent and sets <c>error</c> (a 400) when it is present but not what the schema allows.
/// </summary>
internal static class ReputationArguments
{
    public static string? Raw(CommandContext context, string name)
    {
        foreach (var (member, raw) in context.Request.Extra)
        {
            if (member == name)
            {
                return raw;
            }
        }

        return null;
    }

    public static string? String(CommandContext context, string name, int maxBytes, bool required, ref ProtocolError? error)
    {
        if (Raw(context, name) is not { } raw)
        {
            if (required)
            {
                error ??= ProtocolError.BadRequest(ErrorCodes.MissingParameter, $"{name} is required");
            }

            return null;
        }

        if (raw.Length == 0 || raw[0] != '"')
        {
            error ??= Invalid($"{name} must be a string");
            return null;
        }

        if (Decode<string>(raw) is not { } value)
        {
            error ??= Invalid($"{name} must be a string of valid Unicode");
            return null;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(value) > maxBytes || value.Any(char.IsControl) && name != Names.Evidence)
        {
            error ??= Invalid($"{name} must be at most {maxBytes} bytes without control characters");
            return null;
        }

        return value;
    }

    /// <summary>A JSON number in [0, 1].</summary>
    public static double? Unit(CommandContext context, string name, bool required, ref ProtocolError? error)
    {
        if (Raw(context, name) is not { } raw)
        {
            if (required)
            {
                error ??= ProtocolError.BadRequest(ErrorCodes.MissingParameter, $"{name} is required");
            }

            return null;
        }

        if (raw.Length is 0 or > 32 || raw[0] is not (>= '0' and <= '9') and not '-'
            || !double.TryParse(raw, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value is < 0 or > 1)
        {
            error ??= Invalid($"{name} must be a number from 0 to 1");
            return null;
        }

        return value;
    }

    /// <summary>A plain non-negative integer.</summary>
    public static long? Integer(CommandContext context, string name, bool required, ref ProtocolError? error)
    {
        var value = LogArguments.Read(context, name, required, out var readError);
        error ??= readError;
        return value;
    }

    /// <summary>An RFC 3339 UTC timestamp string.</summary>
    public static DateTimeOffset? Time(CommandContext context, string name, ref ProtocolError? error)
    {
        var text = String(context, name, 64, required: false, ref error);
        if (text is null)
        {
            return null;
        }

        if (!Rfc3339.TryParseUtc(text, out var value))
        {
            error ??= Invalid($"{name} must be an RFC 3339 UTC timestamp");
            return null;
        }

        return value;
    }

    /// <summary>A JSON boolean; absent is false.</summary>
    public static bool Flag(CommandContext context, string name, ref ProtocolError? error)
    {
        switch (Raw(context, name))
        {
            case null or "false":
                return false;
            case "true":
                return true;
            default:
                error ??= Invalid($"{name} must be true or false");
                return false;
        }
    }

    /// <summary>An array of lowercase tokens, each once.</summary>
    public static IReadOnlyList<string>? Tokens(CommandContext context, string name, int maxItems, ref ProtocolError? error)
    {
        if (Raw(context, name) is not { } raw)
        {
            return null;
        }

        var items = raw.StartsWith('[') ? Decode<string[]>(raw) : null;

        if (items is null || items.Length > maxItems || items.Any(i => i is null || !Reputation.ReputationAssertions.IsWellFormed(i))
            || items.Distinct(StringComparer.Ordinal).Count() != items.Length)
        {
            error ??= Invalid($"{name} must be an array of at most {maxItems} distinct lowercase tokens (a-z, 0-9, '-', at most 64 characters)");
            return null;
        }

        return items;
    }

    /// <summary>The raw JSON value as <typeparamref name="T"/>, or null when it is not one (a lone surrogate escape included).</summary>
    private static T? Decode<T>(string raw)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(raw);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    public static ProtocolError Invalid(string message) => ProtocolError.BadRequest(ErrorCodes.InvalidParameter, message);

    /// <summary>The members the reputation commands read.</summary>
    public static class Names
    {
        public const string Assertion = "assertion";
        public const string Rating = "rating";
        public const string Confidence = "confidence";
        public const string Categories = "categories";
        public const string Evidence = "evidence";
        public const string Expires = "expires";
        public const string Report = "report";
        public const string Reports = "reports";
        public const string Cursor = "cursor";
        public const string Limit = "limit";
        public const string Action = "action";
        public const string Reason = "reason";
        public const string Principal = "principal";
        public const string Trust = "trust";
    }
}
