using System.Text.Json;

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
    private static readonly JsonEncodedText RaterName = JsonEncodedText.Encode("rater");
    private static readonly JsonEncodedText AssertionName = JsonEncodedText.Encode("assertion");
    private static readonly JsonEncodedText RatedName = JsonEncodedText.Encode("rated");
    private static readonly JsonEncodedText RatingName = JsonEncodedText.Encode("rating");
    private static readonly JsonEncodedText ConfidenceName = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText NormalRatingName = JsonEncodedText.Encode("normal-rating");
    private static readonly JsonEncodedText SampleSizeName = JsonEncodedText.Encode("sample-size");
    private static readonly JsonEncodedText GeneratedName = JsonEncodedText.Encode("generated");
    private static readonly JsonEncodedText ExpiresName = JsonEncodedText.Encode("expires");
    // RFC 7071 section 7.2: an application's own keys carry its name as a prefix.
    private static readonly JsonEncodedText AllowlistedName = JsonEncodedText.Encode("repsec-allowlisted");

    /// <summary>Writes the reputon as an RFC 7071 JSON object (times as UNIX epoch seconds).</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString(RaterName, Rater);
        json.WriteString(AssertionName, Assertion);
        json.WriteString(RatedName, Rated);
        json.WriteNumber(RatingName, Rating);
        json.WriteNumber(ConfidenceName, Confidence);
        json.WriteNumber(NormalRatingName, NormalRating);
        json.WriteNumber(SampleSizeName, SampleSize);
        json.WriteNumber(GeneratedName, Generated.ToUnixTimeSeconds());
        json.WriteNumber(ExpiresName, Expires.ToUnixTimeSeconds());
        if (Allowlisted)
        {
            json.WriteBoolean(AllowlistedName, true);
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
