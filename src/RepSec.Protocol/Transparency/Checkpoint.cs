using System.Globalization;

namespace RepSec.Protocol.Transparency;

/// <summary>
/// A C2SP tlog-checkpoint body: the log's origin line, the tree size in decimal, the base64 root hash, each
/// ending in a newline. Signed with <see cref="SignedNote"/>, it commits the log to its whole history.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] Root)
{
    public string Body => string.Create(CultureInfo.InvariantCulture, $"{Origin}\n{Size}\n{Convert.ToBase64String(Root)}\n");

    /// <summary>Reads a body; extension lines after the root are allowed and ignored. Null when malformed.</summary>
    public static Checkpoint? Parse(string body)
    {
        var lines = body.Split('\n');
        if (lines.Length < 4 || lines[^1].Length != 0 || lines[0].Length == 0
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || lines[1] != size.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == MerkleHash.Size ? new Checkpoint(lines[0], size, root) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Signs this checkpoint under the log's key; the note's key name is the origin.</summary>
    public string Sign(ReadOnlySpan<byte> privateKey) => SignedNote.Sign(Body, Origin, privateKey);

    /// <summary>The checkpoint in a note signed by <paramref name="verifierKey"/>, or null when the signature or the body fails.</summary>
    public static Checkpoint? OpenSigned(string note, string verifierKey) =>
        SignedNote.Open(note, verifierKey) is { } body ? Parse(body) : null;
}
