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
    /// Finds what the request names: for a typed entity, <paramref name="lookup"/> of it; for an untyped one, the
    /// only candidate reading for which <paramref name="lookup"/> finds something. A 404 when nothing is found,
    /// a 400 when several readings exist.
    /// </summary>
    public static async ValueTask<(CanonicalEntity Entity, T? Found, ProtocolError? Error)> ResolveAsync<T>(
        CommandContext context, Func<CanonicalEntity, CancellationToken, ValueTask<T?>> lookup, CancellationToken cancellationToken)
        where T : class
    {
        if (context.Entity is { } typed)
        {
            var found = await lookup(typed, cancellationToken);
            return (typed, found, found is null ? NotFound : null);
        }

        (CanonicalEntity Entity, T Found)? match = null;
        foreach (var candidate in context.Candidates!)
        {
            if (await lookup(candidate, cancellationToken) is not { } found)
            {
                continue;
            }

            if (match is { } first)
            {
                return (default, null, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                    $"entity exists as both {first.Entity.Type.ToWire()} and {candidate.Type.ToWire()}; give a type"));
            }

            match = (candidate, found);
        }

        return match is { } only ? (only.Entity, only.Found, null) : (default, null, NotFound);
    }

    public static readonly ProtocolError NotFound = new(StatusCodes.NotFound, ErrorCodes.NotFound, "Entity is not registered");
}
