using System.Text;

namespace RepSec.Cli.Reputation;

/// <summary>
/// Where <c>repsec changes --cursor-file</c> keeps its place in the change feed: the cursor alone on one line, so
/// a script can read it with <c>cat</c>. Replaced atomically, so a reader never sees half a cursor.
/// </summary>
internal static class CursorFile
{
    private const int MaxLength = 1024;

    /// <summary>The cursor saved in the file, or null when the file does not exist or is empty (the feed's start).</summary>
    /// <exception cref="InvalidDataException">The file holds something other than one cursor.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var cursor = text.Trim();
        if (cursor.Length > MaxLength || cursor.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidDataException("it does not hold one cursor on one line");
        }

        return cursor.Length == 0 ? null : cursor;
    }

    public static void Save(string path, string cursor) =>
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(cursor + "\n")));
}
