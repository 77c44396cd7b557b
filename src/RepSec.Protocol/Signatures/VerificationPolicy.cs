namespace RepSec.Protocol.Signatures;

/// <summary>What a verifier demands of a signature beyond being valid (RFC 9421 §1.4, §3.2.1).</summary>
public sealed record VerificationPolicy
{
    /// <summary>Components the signature must cover, e.g. <c>@status</c>, <c>content-digest</c> and <c>content-type</c>.</summary>
    public IReadOnlyList<ComponentId> RequiredComponents { get; init; } = [];

    /// <summary>The oldest acceptable signature, by its <c>created</c> time; when set, <c>created</c> is required.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Whether a signature past its <c>expires</c> time is rejected. On by default.</summary>
    public bool EnforceExpires { get; init; } = true;

    /// <summary>Tolerance for clocks that disagree: how far <c>created</c> may lie ahead and <c>expires</c> behind.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>If set, only the signature with this label is considered.</summary>
    public string? Label { get; init; }

    /// <summary>If set, the signature's <c>tag</c> must be this, so a signature made for another purpose is not accepted.</summary>
    public string? RequiredTag { get; init; }
}
