namespace RepSec.Server.Blocklist;

/// <summary>The blocklist feeds on the RDAP listener (<c>RepSec:Blocklist</c>; docs/consumers.md, "Blocklist feeds").</summary>
public sealed record BlocklistOptions
{
    /// <summary>Whether <c>/blocklist</c> is served at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whether anonymous readers may fetch the feeds (rate-limited as RDAP's anonymous readers are); false: a token, password or certificate is needed.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>The <c>min-rating</c> and <c>min-confidence</c> of a request that names none.</summary>
    public double MinRating { get; init; } = 0.5;

    public double MinConfidence { get; init; } = 0.5;

    public IEnumerable<string> Validate()
    {
        if (MinRating is < 0 or > 1 || MinConfidence is < 0 or > 1)
        {
            yield return "RepSec:Blocklist:MinRating and MinConfidence must be 0-1";
        }
    }
}
