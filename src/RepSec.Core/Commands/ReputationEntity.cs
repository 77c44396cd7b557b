using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Commands;

/// <summary>
/// The entity a reputation command names. Reports may be about entities nobody registered, so an untyped entity
/// is taken as the one reading that is registered, or, when none is, as its most specific reading (in the order
/// ip, asn, domain, userid, organization: "example.com" is a domain). Several registered readings need a type.
/// </summary>
internal static class ReputationEntity
{
    public static async ValueTask<(CanonicalEntity Entity, ProtocolError? Error)> ResolveAsync(
        CommandContext context, IRegistryStore registry, CancellationToken cancellationToken)
    {
        if (context.Entity is { } typed)
        {
            return (typed, null);
        }

        var candidates = context.Candidates!;
        if (candidates.Count == 1)
        {
            return (candidates[0], null);
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
            0 => (candidates[0], null),
            1 => (registered[0], null),
            _ => (default, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                $"entity is registered as {string.Join(" and ", registered.Select(c => c.Type.ToWire()))}; give a type")),
        };
    }
}
