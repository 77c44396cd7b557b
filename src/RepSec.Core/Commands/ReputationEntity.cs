using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Commands;

/// <summary>
/// The entity a reputation command names. Reports may be about entities nobody registered, so an untyped entity
/// is taken as its only reading, or else as the one reading that is registered; otherwise the client must say which.
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

        CanonicalEntity? registered = null;
        foreach (var candidate in candidates)
        {
            if (await registry.FindAsync(candidate.Type, candidate.Key, cancellationToken) is null)
            {
                continue;
            }

            if (registered is not null)
            {
                registered = null;
                break;
            }

            registered = candidate;
        }

        return registered is { } only
            ? (only, null)
            : (default, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                $"entity reads as {string.Join(", ", candidates.Select(c => c.Type.ToWire()))}; give a type"));
    }
}
