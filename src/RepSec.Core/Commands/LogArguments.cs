using RepSec.Core.Dispatch;
using RepSec.Protocol;

namespace RepSec.Core.Commands;

/// <summary>The tree sizes and indices the transparency commands take: non-negative JSON integers.</summary>
internal static class LogArguments
{
    /// <summary>Reads <paramref name="name"/>; null when absent. Anything but a plain non-negative integer is a 400.</summary>
    public static long? Read(CommandContext context, string name, bool required, out ProtocolError? error)
    {
        error = null;
        foreach (var (member, raw) in context.Request.Extra)
        {
            if (member != name)
            {
                continue;
            }

            // Digits only: no sign, fraction, exponent or string; 18 digits keep it a long.
            if (raw.Length is 0 or > 18 || !raw.All(char.IsAsciiDigit) || (raw.Length > 1 && raw[0] == '0'))
            {
                error = ProtocolError.BadRequest(ErrorCodes.InvalidParameter, $"{name} must be a non-negative integer");
                return null;
            }

            return long.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (required)
        {
            error = ProtocolError.BadRequest(ErrorCodes.MissingParameter, $"{name} is required");
        }

        return null;
    }

    public static ProtocolError Beyond(string message) => ProtocolError.BadRequest(ErrorCodes.InvalidParameter, message);
}
