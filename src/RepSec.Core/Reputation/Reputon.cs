using System.Text.Json;
using RepSec.Protocol.Writing;

namespace RepSec.Core.Reputation;

/// <summary>
/// One RFC 7071 reputon: what this server (the <see cref="Rater"/>) concludes about <see cref="Rated"/> for one
/// assertion. Every interface (RepSec REPUTATION and CHANGES, RFC 7072, RDAP) writes it with <see cref="Write"/>,
/// so the same data reads the same everywhere. An allowlisted entity's reputons carry <c>repsec-allowlisted</c>.
/// </summary>
public sealed record Reputon(
    string Rater,
    string Assertion,
    string Rated,
    double Rating,
    double Confidence,
    double NormalRating,
    long SampleSize,
    DateTimeOffset Generated,
    DateTimeOffset Expires,
    bool Allowlisted)
{
    /// <summary>Writes the reputon as an RFC 7071 JSON object (times as UNIX epoch seconds).</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString(ReputationNames.Rater, Rater);
        json.WriteString(ReputationNames.Assertion, Assertion);
        json.WriteString(ReputationNames.Rated, Rated);
        json.WriteNumber(ReputationNames.Rating, Rating);
        json.WriteNumber(ReputationNames.Confidence, Confidence);
        json.WriteNumber(ReputationNames.NormalRating, NormalRating);
        json.WriteNumber(ReputationNames.SampleSize, SampleSize);
        json.WriteNumber(ReputationNames.Generated, Generated.ToUnixTimeSeconds());
        json.WriteNumber(ReputationNames.Expires, Expires.ToUnixTimeSeconds());
        if (Allowlisted)
        {
            json.WriteBoolean(ReputationNames.RepSecAllowlisted, true);
        }

        json.WriteEndObject();
    }

    /// <summary>Writes <c>"reputons": [...]</c>.</summary>
    public static void WriteArray(Utf8JsonWriter json, JsonEncodedText name, IReadOnlyList<Reputon> reputons)
    {
        json.WriteStartArray(name);
        foreach (var reputon in reputons)
        {
            reputon.Write(json);
        }

        json.WriteEndArray();
    }
}

/// <summary>An entity's reputation as answered: its reputons and, when the operator allowlisted it, the entry.</summary>
public sealed record ReputationView(EntityReputation Source, IReadOnlyList<Reputon> Reputons)
{
    public AllowlistEntry? Allowlisted => Source.Allowlisted;
}
