using System.Text.Json;
using RepSec.Core.Reputation;
using RepSec.Protocol.Writing;

namespace RepSec.Server.Rdap.Responses;

/// <summary>
/// <c>repsec_reputation</c> on lookup answers: the object's RFC 7071 reputons, written with <see cref="Reputon.Write"/>
/// so they read as REPUTATION and RFC 7072 answers do, and whether the operator allowlisted it.
/// </summary>
internal sealed partial class RdapWriter
{
    public const string ReputationMember = "repsec_reputation";
    private static readonly JsonEncodedText ReputationName = JsonEncodedText.Encode(ReputationMember);

    private void WriteReputation(ReputationView reputation)
    {
        Json.WriteStartObject(ReputationName);
        Reputon.WriteArray(Json, ReputationNames.Reputons, reputation.Reputons);
        Json.WriteBoolean(ReputationNames.Allowlisted, reputation.Allowlisted is not null);
        if (reputation.Allowlisted is { } entry)
        {
            Json.WriteStartObject(ReputationNames.Allowlist);
            Json.WriteString(ReputationNames.Reason, entry.Reason);
            Json.WriteString(ReputationNames.Since, FormatDate(entry.Since));
            // Who added it is the operator's business, as in REPUTATION: privileged readers only.
            if (View.Policy.TierOf(View.Reader) == RdapTier.Privileged)
            {
                Json.WriteString(ReputationNames.AddedBy, entry.AddedBy);
            }

            Json.WriteEndObject();
        }

        Json.WriteEndObject();
    }
}
