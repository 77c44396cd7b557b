using System.Text.Json;

namespace RepSec.Client.Wire;

// The transparency members: absent ones read as null, so answers from servers without a log still parse;
// present but malformed ones are an invalid response.
internal static partial class ResultReader
{
    public static CheckpointResult Checkpoint(JsonElement response) =>
        new(
            ResponseReader.String(response, "checkpoint"),
            ResponseReader.String(response, "origin"),
            ResponseReader.Int64(response, "tree_size"),
            ResponseReader.Base64(response, "root"))
        {
            Raw = response,
        };

    public static InclusionProofResult InclusionProof(JsonElement response) =>
        new(
            ResponseReader.Int64(response, "index"),
            ResponseReader.Int64(response, "tree_size"),
            ResponseReader.Base64(response, "leaf_hash"),
            ResponseReader.Base64Array(response, "inclusion"),
            ResponseReader.Base64(response, "root"),
            ResponseReader.OptionalString(response, "checkpoint"))
        {
            Raw = response,
        };

    public static ConsistencyProofResult ConsistencyProof(JsonElement response) =>
        new(
            ResponseReader.Int64(response, "from"),
            ResponseReader.Int64(response, "to"),
            ResponseReader.Base64Array(response, "consistency"),
            ResponseReader.Base64(response, "root"),
            ResponseReader.OptionalString(response, "checkpoint"))
        {
            Raw = response,
        };

    private static AuditEntryInfo AuditEntry(JsonElement entry)
    {
        AuditLeaf? leaf = null;
        if (ResponseReader.Optional(entry, "leaf") is { } leafObject)
        {
            leaf = new AuditLeaf(
                ResponseReader.Base64(leafObject, "subject"),
                ResponseReader.Base64(leafObject, "actor"),
                ResponseReader.OptionalBase64(leafObject, "record"));
        }

        AuditOpening? opening = null;
        if (ResponseReader.Optional(entry, "opening") is { } openingObject)
        {
            opening = new AuditOpening(
                ResponseReader.Base64(openingObject, "subject"),
                ResponseReader.OptionalBase64(openingObject, "actor"));
        }

        return new AuditEntryInfo(
            ResponseReader.Int64(entry, "log_index"),
            ResponseReader.String(entry, "action"),
            ResponseReader.Time(entry, "time"),
            ResponseReader.OptionalString(entry, "actor"))
        {
            TimeText = ResponseReader.String(entry, "time"),
            Leaf = leaf,
            Opening = opening,
            Inclusion = ResponseReader.Optional(entry, "inclusion") is null ? null : ResponseReader.Base64Array(entry, "inclusion"),
        };
    }
}
