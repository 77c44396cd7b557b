namespace RepSec.Server.Decisions;

/// <summary>The CrowdSec-compatible decisions API on the RDAP listener (<c>RepSec:Decisions</c>; docs/consumers.md).</summary>
public sealed record DecisionsOptions
{
    /// <summary>Whether <c>/v1/decisions</c> is served.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>What makes a listed address or prefix a ban: a negative assertion's reputon with at least this rating and confidence.</summary>
    public double MinRating { get; init; } = 0.5;

    public double MinConfidence { get; init; } = 0.5;

    public IEnumerable<string> Validate()
    {
        if (MinRating is < 0 or > 1 || MinConfidence is < 0 or > 1)
        {
            yield return "RepSec:Decisions:MinRating and MinConfidence must be 0-1";
        }
    }
}
