using System.Text.Json;

namespace RepSec.Protocol.Writing;

/// <summary>Response member names of the reputation extension, encoded once.</summary>
public static class ReputationNames
{
    public static readonly JsonEncodedText Assertion = JsonEncodedText.Encode("assertion");
    public static readonly JsonEncodedText Assertions = JsonEncodedText.Encode("assertions");
    public static readonly JsonEncodedText Rater = JsonEncodedText.Encode("rater");
    public static readonly JsonEncodedText ReportId = JsonEncodedText.Encode("report_id");
    public static readonly JsonEncodedText Superseded = JsonEncodedText.Encode("superseded");
    public static readonly JsonEncodedText Reputons = JsonEncodedText.Encode("reputons");
    public static readonly JsonEncodedText Allowlisted = JsonEncodedText.Encode("allowlisted");
    public static readonly JsonEncodedText Allowlist = JsonEncodedText.Encode("allowlist");
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    public static readonly JsonEncodedText Since = JsonEncodedText.Encode("since");
    public static readonly JsonEncodedText AddedBy = JsonEncodedText.Encode("added_by");
    public static readonly JsonEncodedText Reports = JsonEncodedText.Encode("reports");
    public static readonly JsonEncodedText Covering = JsonEncodedText.Encode("covering");
    public static readonly JsonEncodedText Reporter = JsonEncodedText.Encode("reporter");
    public static readonly JsonEncodedText Rating = JsonEncodedText.Encode("rating");
    public static readonly JsonEncodedText Confidence = JsonEncodedText.Encode("confidence");
    public static readonly JsonEncodedText Weight = JsonEncodedText.Encode("weight");
    public static readonly JsonEncodedText Categories = JsonEncodedText.Encode("categories");
    public static readonly JsonEncodedText Evidence = JsonEncodedText.Encode("evidence");
    public static readonly JsonEncodedText ReportedAt = JsonEncodedText.Encode("reported_at");
    public static readonly JsonEncodedText Expires = JsonEncodedText.Encode("expires");
    public static readonly JsonEncodedText WithdrawnAt = JsonEncodedText.Encode("withdrawn_at");
    public static readonly JsonEncodedText Changes = JsonEncodedText.Encode("changes");
    public static readonly JsonEncodedText ChangedAt = JsonEncodedText.Encode("changed_at");
    public static readonly JsonEncodedText Cursor = JsonEncodedText.Encode("cursor");
    public static readonly JsonEncodedText More = JsonEncodedText.Encode("more");
    public static readonly JsonEncodedText Principal = JsonEncodedText.Encode("principal");
    public static readonly JsonEncodedText Trust = JsonEncodedText.Encode("trust");
    public static readonly JsonEncodedText DefaultTrust = JsonEncodedText.Encode("default_trust");
    public static readonly JsonEncodedText Levels = JsonEncodedText.Encode("levels");
    public static readonly JsonEncodedText Application = JsonEncodedText.Encode("application");
    public static readonly JsonEncodedText HalfLifeDays = JsonEncodedText.Encode("half_life_days");

    // RFC 7071 reputons (section 6.2.2)
    public static readonly JsonEncodedText Rated = JsonEncodedText.Encode("rated");
    public static readonly JsonEncodedText NormalRating = JsonEncodedText.Encode("normal-rating");
    public static readonly JsonEncodedText SampleSize = JsonEncodedText.Encode("sample-size");
    public static readonly JsonEncodedText Generated = JsonEncodedText.Encode("generated");

    /// <summary>RFC 7071 section 7.2: an application's own keys carry its name as a prefix.</summary>
    public static readonly JsonEncodedText RepSecAllowlisted = JsonEncodedText.Encode("repsec-allowlisted");
}
