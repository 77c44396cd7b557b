namespace RepSec.Client;

/// <summary>A protocol extension the server advertises in HELLO.</summary>
/// <param name="Name">The extension's name.</param>
/// <param name="Version">The extension's version.</param>
/// <param name="Commands">The commands the extension adds; send them with <see cref="RepSecClient.SendAsync"/>.</param>
public sealed record ExtensionInfo(string Name, string Version, IReadOnlyList<string> Commands);
