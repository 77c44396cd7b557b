using System.Text.Json;
using RepSec.Protocol.Writing;

namespace RepSec.Client.Wire;

// The transparency members: absent ones read as null, so answers from servers without a log still parse;
// present but malformed ones are an invalid response.
internal static partial class ResultReader
{
    public static CheckpointResult Checkpoint(JsonElement response) =>
        new(
            ResponseReader.String(response, ResponseNames.Checkpoint),
            ResponseReader.String(response, ResponseNames.Origin),
            ResponseReader.Int64(response, ResponseNames.TreeSize),
            ResponseReader.Base64(response, ResponseNames.Root))
        {
            Raw = response,
        };

    public static InclusionProofResult InclusionProof(JsonElement response) =>
        new(
            ResponseReader.Int64(response, ResponseNames.Index),
            ResponseReader.Int64(response, ResponseNames.TreeSize),
            ResponseReader.Base64(response, ResponseNames.LeafHash),
            ResponseReader.Base64Array(response, ResponseNames.Inclusion),
            ResponseReader.Base64(response, ResponseNames.Root),
            ResponseReader.OptionalString(response, ResponseNames.Checkpoint))
        {
            Raw = response,
        };

    public static ConsistencyProofResult ConsistencyProof(JsonElement response) =>
        new(
            ResponseReader.Int64(response, ResponseNames.From),
            ResponseReader.Int64(response, ResponseNames.To),
            ResponseReader.Base64Array(response, ResponseNames.Consistency),
            ResponseReader.Base64(response, ResponseNames.Root),
            ResponseReader.OptionalString(response, ResponseNames.Checkpoint))
        {
            Raw = response,
        };

    private static AuditEntryInfo AuditEntry(JsonElement entry)
    {
        AuditLeaf? leaf = null;
        if (ResponseReader.Optional(entry, ResponseNames.Leaf) is { } leafObject)
        {
            leaf = new AuditLeaf(
                ResponseReader.Base64(leafObject, ResponseNames.Subject),
                ResponseReader.Base64(leafObject, ResponseNames.Actor),
                ResponseReader.OptionalBase64(leafObject, ResponseNames.Record));
        }

        AuditOpening? opening = null;
        if (ResponseReader.Optional(entry, ResponseNames.Opening) is { } openingObject)
        {
            opening = new AuditOpening(
                ResponseReader.Base64(openingObject, ResponseNames.Subject),
                ResponseReader.OptionalBase64(openingObject, ResponseNames.Actor));
        }

        return new AuditEntryInfo(
            ResponseReader.Int64(entry, ResponseNames.LogIndex),
            ResponseReader.String(entry, ResponseNames.Action),
            ResponseReader.Time(entry, ResponseNames.Time),
            ResponseReader.OptionalString(entry, ResponseNames.Actor))
        {
            TimeText = ResponseReader.String(entry, ResponseNames.Time),
            Leaf = leaf,
            Opening = opening,
            Inclusion = ResponseReader.Optional(entry, ResponseNames.Inclusion) is null ? null : ResponseReader.Base64Array(entry, ResponseNames.Inclusion),
        };
    }
}
