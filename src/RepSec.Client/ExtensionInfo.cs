namespace RepSec.Client;

/// <summary>A protocol extension the server advertises in HELLO.</summary>
/// <param name="Name">The extension's name.</param>
/// <param name="Version">The extension's version.</param>
/// <param name="Commands">The commands the extension adds; send them with <see cref="RepSecClient.SendAsync"/>.</param>
public sealed record ExtensionInfo(string Name, string Version, IReadOnlyList<string> Commands)
{
    /// <summary>The name of the extension whose commands <see cref="RepSecClient.CheckpointAsync"/> and its siblings send.</summary>
    public const string Transparency = "transparency";

    /// <summary>The name of the extension whose commands <see cref="RepSecClient.ReportAsync"/> and its siblings send.</summary>
    public const string Reputation = "reputation";

    /// <summary>For <c>reputation</c>: the RFC 7071 <c>rater</c> of the server's reputons.</summary>
    public string? Rater { get; init; }

    /// <summary>For <c>reputation</c>: the assertions reports may make, such as <c>spam</c>; empty for other extensions.</summary>
    public IReadOnlyList<string> Assertions { get; init; } = [];

    /// <summary>For <c>transparency</c>: the log's origin, the first line of its checkpoints.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// For <c>transparency</c>: the log's verifier key (<c>ORIGIN+hex(keyhash)+base64(0x01 || key)</c>). Pin it
    /// from a source you trust; taking it from the server you are checking proves nothing on its own.
    /// </summary>
    public string? LogKey { get; init; }
}
