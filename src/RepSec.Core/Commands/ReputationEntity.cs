using RepSec.Core.Dispatch;
using RepSec.Core.Registry;
using RepSec.Protocol;
using RepSec.Protocol.Entities;

namespace RepSec.Core.Commands;

/// <summary>
/// The entity a reputation query names. Reports may be about entities nobody registered, so an untyped entity
/// is taken as its only reading, or else as the one reading that is registered; otherwise the client must say which.
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

        var candidates = context.Candidates!;
        return await ChooseAsync(candidates, registry, cancellationToken) is { } only
            ? (only, null)
            : (default, ProtocolError.BadRequest(ErrorCodes.AmbiguousEntity,
                $"entity reads as {string.Join(", ", candidates.Select(c => c.Type.ToWire()))}; give a type"));
    }

    /// <summary>
    /// The reading of an untyped entity to use: its only one, or else the only one that is registered; null when
    /// none or several of them are registered.
    /// </summary>
    public static async ValueTask<CanonicalEntity?> ChooseAsync(
        IReadOnlyList<CanonicalEntity> candidates, IRegistryStore registry, CancellationToken cancellationToken)
    {
        if (candidates.Count == 1)
        {
            return candidates[0];
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
                return null;
            }

            registered = candidate;
        }

        return registered;
    }
}
