using RepSec.Core.Dispatch;
using RepSec.Protocol;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Commands;

/// <summary>Binds the <c>entity</c> and <c>type</c> parameters, and resolves an untyped entity against what exists.</summary>
internal static class EntityArgument
{
    public static ProtocolError? Bind(CommandContext context, bool typeRequired)
    {
        var request = context.Request;
        if (request.Entity is null)
        {
            return ProtocolError.BadRequest(ErrorCodes.MissingParameter, "entity is required");
        }

        if (request.Type is null)
        {
            if (typeRequired)
            {
                return ProtocolError.BadRequest(ErrorCodes.MissingParameter, "type is required (domain, ip, asn, userid, organization)");
            }

            var candidates = EntityCanonicalizer.Candidates(request.Entity);
            if (candidates.Count == 0)
            {
                return ProtocolError.BadRequest(ErrorCodes.InvalidEntity, "entity is not valid for any type");
            }

            context.Candidates = candidates;
            return null;
        }

        if (!EntityTypes.TryParse(request.Type, out var type))
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidType, "type must be one of domain, ip, asn, userid, organization");
        }

        if (!EntityCanonicalizer.TryCanonicalize(type, request.Entity, out var entity, out var error))
        {
            return ProtocolError.BadRequest(ErrorCodes.InvalidEntity, $"entity is not a valid {type.ToWire()}: {error}");
        }

        context.Entity = entity;
        return null;
    }

    /// <summary>
    /// The entity the request means: the typed one, or the only candidate for which <paramref name="exists"/>
    /// holds. Null with a 404 when none exists, or a 400 when several do.
    /// </summary>
    public static async ValueTask<(CanonicalEntity? Entity, ProtocolError? Error)> ResolveAsync(
        CommandContext context, Func<CanonicalEntity, ValueTask<bool>> exists)
    {
        if (context.Entity is { } typed)
        {
            return (typed, null);
        }

        CanonicalEntity? found = null;
        foreach (var candidate in context.Candidates!)
        {
            if (!await exists(candidate))
            {
                continue;
            }

            if (found is not null)
            {
                return (null, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                    $"entity exists as both {found.Value.Type.ToWire()} and {candidate.Type.ToWire()}; give a type"));
            }

            found = candidate;
        }

        return found is null ? (null, NotFound) : (found, null);
    }

    public static readonly ProtocolError NotFound = new(StatusCodes.NotFound, ErrorCodes.NotFound, "Entity is not registered");
}
