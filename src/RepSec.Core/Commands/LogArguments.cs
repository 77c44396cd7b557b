using RepSec.Core.Dispatch;
using RepSec.Core.Transparency;
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

    /// <summary>
    /// The tree size a proof is asked against: the <paramref name="given"/> one (the argument <paramref name="name"/>),
    /// which must not exceed the log's current size, or else the latest checkpoint's (returned so the answer can carry it).
    /// </summary>
    public static async ValueTask<(long Size, SignedCheckpoint? Checkpoint, ProtocolError? Error)> ResolveSizeAsync(
        TransparencyLog log, long? given, string name, CancellationToken cancellationToken)
    {
        if (given is { } size)
        {
            return size > await log.Store.GetTreeSizeAsync(cancellationToken)
                ? (0, null, Beyond($"{name} is beyond the log's current size"))
                : (size, null, null);
        }

        var checkpoint = await log.LatestCheckpointAsync(cancellationToken);
        return (checkpoint.Size, checkpoint, null);
    }
}
