using RepSec.Core.Dispatch;
using RepSec.Core.Reputation;
using RepSec.Protocol;
using RepSec.Protocol.Writing;
using Names = RepSec.Core.Commands.ReputationArguments.Names;

namespace RepSec.Core.Commands;

/// <summary>
/// CHANGES: the delta feed. Every entity whose reputation changed after the cursor, oldest change first and each
/// once (with its reputation as it is now), at most <c>limit</c> of them, and the cursor to ask with next. A
/// consumer that starts with no cursor and follows the cursors has every entity's latest state without ever
/// re-reading the rest.
/// </summary>
public sealed class ChangesCommand(ReputationService reputation) : RepSecCommand<(long After, int Limit)>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public override string Name => "CHANGES";

    public override CommandPolicy Policy => ReputationPolicies.Read;

    protected override ProtocolError? Bind(CommandContext context, out (long After, int Limit) arguments)
    {
        arguments = default;
        ProtocolError? error = null;
        var cursor = ReputationArguments.String(context, Names.Cursor, 64, required: false, ref error) ?? "";
        var limit = ReputationArguments.Integer(context, Names.Limit, required: false, ref error) ?? DefaultLimit;
        if (error is not null)
        {
            return error;
        }

        if (!ChangeCursor.TryDecode(cursor, out var after))
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidCursor, "cursor is not one this server gave out");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ReputationArguments.Invalid($"limit must be 1-{MaxLimit}");
        }

        arguments = (after, (int)limit);
        return null;
    }

    protected override async ValueTask<ProtocolError?> ExecuteAsync(CommandContext context, (long After, int Limit) arguments, CancellationToken cancellationToken)
    {
        var (after, limit) = arguments;
        var page = await reputation.ChangesAsync(after, limit, cancellationToken);
        var json = context.Response.Json;
        context.Response.Begin(StatusCodes.Ok, "Changes", context.Request.RawId);
        json.WriteStartArray(ReputationNames.Changes);
        foreach (var (change, view) in page.Changes)
        {
            json.WriteStartObject();
            ReputationCommand.WriteView(context, view);
            context.Response.WriteTime(ReputationNames.ChangedAt, change.ChangedAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString(ReputationNames.Cursor, ChangeCursor.Encode(page.Last));
        json.WriteBoolean(ReputationNames.More, page.More);
        return null;
    }
}
