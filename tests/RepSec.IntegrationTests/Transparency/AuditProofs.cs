using System.Text.Json;
using RepSec.Protocol.Entities;
using RepSec.Protocol.Transparency;

namespace RepSec.IntegrationTests.Transparency;

/// <summary>
/// The client-side check of an AUDIT answer (docs/protocol.md, "AUDIT with proofs"), written here from the wire
/// members and the Protocol primitives alone, so the tests do not lean on the client library's verifier.
/// Returns null when everything verifies, or the first failure.
/// </summary>
internal static class AuditProofs
{
    public static string? Check(JsonElement audit, string verifierKey, string askedEntity)
    {
        var checkpoint = Checkpoint.OpenSigned(audit.GetProperty("checkpoint").GetString()!, verifierKey);
        if (checkpoint is null)
        {
            return "checkpoint signature";
        }

        if (checkpoint.Size != audit.GetProperty("tree_size").GetInt64())
        {
            return "tree size";
        }

        var type = audit.GetProperty("type").GetString()!;
        EntityTypes.TryParse(type, out var entityType);
        if (!EntityCanonicalizer.TryCanonicalize(entityType, askedEntity, out var asked, out _))
        {
            return "entity";
        }

        foreach (var entry in audit.GetProperty("entries").EnumerateArray())
        {
            var index = entry.GetProperty("log_index").GetInt64();
            var leaf = entry.GetProperty("leaf");
            var opening = entry.GetProperty("opening");
            byte[] B64(JsonElement e, string name) => e.GetProperty(name).GetBytesFromBase64();
            if (!LogCommitment.Opens(B64(opening, "subject"), LogCommitment.SubjectOf(type, asked.Key), B64(leaf, "subject")))
            {
                return $"subject of {index}";
            }

            if (entry.GetProperty("actor").GetString() is { } actor
                && !LogCommitment.Opens(B64(opening, "actor"), actor, B64(leaf, "actor")))
            {
                return $"actor of {index}";
            }

            var record = leaf.GetProperty("record");
            var hash = new LogLeaf(index, entry.GetProperty("action").GetString()!, entry.GetProperty("time").GetString()!,
                B64(leaf, "subject"), B64(leaf, "actor"), record.ValueKind == JsonValueKind.Null ? null : record.GetBytesFromBase64()).Hash();
            var proof = entry.GetProperty("inclusion").EnumerateArray().Select(p => p.GetBytesFromBase64()).ToList();
            if (!MerkleProofs.VerifyInclusion(hash, index, checkpoint.Size, proof, checkpoint.Root))
            {
                return $"inclusion of {index}";
            }
        }

        return null;
    }
}
