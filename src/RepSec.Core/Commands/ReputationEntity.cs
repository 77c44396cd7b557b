using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Commands;

/// <summary>
/// The entity a reputation query names. Reports may be about entities nobody registered, so an untyped entity
/// is taken as the one reading that is registered, or, when none is, as its most specific reading (in the order
/// ip, asn, domain, userid, organization: "example.com" is a domain). Several registered readings need a type.
/// RepSec commands and the HTTP interfaces (RFC 7072) apply the same rule, so they answer for the same entity.
/// </summary>
public static class ReputationEntity
{
    internal static async ValueTask<(CanonicalEntity Entity, ProtocolError? Error)> ResolveAsync(
        CommandContext context, IRegistryStore registry, CancellationToken cancellationToken)
    {
        if (context.Entity is { } typed)
        {
            return (typed, null);
        }

        var (chosen, registered) = await ChooseAsync(context.Candidates!, registry, cancellationToken);
        return chosen is { } entity
            ? (entity, null)
            : (default, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                $"entity is registered as {string.Join(" and ", registered.Select(c => c.Type.ToWire()))}; give a type"));
    }

    /// <summary>
    /// The reading of an untyped entity to use (<paramref name="candidates"/> in <see cref="EntityTypes.All"/> order),
    /// or, when several readings are registered, null and those readings.
    /// </summary>
    public static async ValueTask<(CanonicalEntity? Chosen, IReadOnlyList<CanonicalEntity> Registered)> ChooseAsync(
        IReadOnlyList<CanonicalEntity> candidates, IRegistryStore registry, CancellationToken cancellationToken)
    {
        if (candidates.Count == 1)
        {
            return (candidates[0], []);
        }

        var registered = new List<CanonicalEntity>(2);
        foreach (var candidate in candidates)
        {
            if (await registry.FindAsync(candidate.Type, candidate.Key, cancellationToken) is not null)
            {
                registered.Add(candidate);
            }
        }

        return registered.Count switch
        {
            0 => (candidates[0], registered),
            1 => (registered[0], registered),
            _ => (null, registered),
        };
    }
}
